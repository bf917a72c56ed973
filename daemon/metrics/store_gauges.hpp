// Figures read from the database when /metrics is scraped, on the route's own connection: the
// outbox by status (depth, age of the oldest item) and ledger entries written by kind. The
// ledger is append-only, so entries by kind is a true counter: each scrape adds only the rows
// past the last one it counted (the first scrape after start counts the whole table once).
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "metrics/prometheus_text.hpp"

namespace rewardd::metrics {

class StoreGauges {
public:
    explicit StoreGauges(std::shared_ptr<SQLite::Database> db) : m_db(std::move(db)) {}

    // `now_s`: unix seconds, for ages. A failed read is exposed as rewardd_store_scrape_error 1.
    void render(TextWriter& out, std::int64_t now_s);

private:
    bool render_outbox(TextWriter& out, std::int64_t now_s);
    bool count_new_entries();

    std::shared_ptr<SQLite::Database> m_db;
    std::mutex m_mutex;  // one scrape at a time on the connection
    std::int64_t m_ledger_seq = 0;
    std::map<std::string, std::int64_t> m_entries_by_kind;
};

}  // namespace rewardd::metrics
