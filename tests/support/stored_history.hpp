// A generated history stored as the writer stores events (same columns, same canonical JSON), in
// one transaction: for tests and benchmarks that start from stored, not yet applied, events.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <vector>

#include "adapters/neutral/event_json.hpp"
#include "core/history_generator.hpp"

namespace rewardd::test {

inline void store_events(SQLite::Database& db, const std::vector<GeneratedEvent>& log) {
    SQLite::Transaction tx(db);
    SQLite::Statement q(db, "INSERT INTO events (shop_id, event_id, type, order_id, occurred_at, received_at, body) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const auto& g : log) {
        q.bind(1, g.event.shop_id);
        q.bind(2, g.event.id);
        q.bind(3, event_type_id(g.event.type));
        q.bind(4, g.event.order ? g.event.order->id : "");
        q.bind(5, static_cast<std::int64_t>(g.event.occurred_at));
        q.bind(6, static_cast<std::int64_t>(g.received_at));
        q.bind(7, event_to_json(g.event));
        q.exec();
        q.reset();
    }
    tx.commit();
}

}  // namespace rewardd::test
