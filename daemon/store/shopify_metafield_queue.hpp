// The durable queue of customers whose Shopify metafields (balance, tier) are stale (table
// shopify_metafield_queue, v5). Every ledger change marks the customer in each Shopify shop that
// knows them, inside the transaction that made the change, so a crash cannot lose a pending write.
// A burst of changes keeps re-marking one row; the writer takes a row once it has been quiet for a
// while (or has waited long enough), writes the latest values, and removes the row only if nothing
// marked it again meanwhile. One instance per connection.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/statement_cache.hpp"

namespace rewardd {

struct MetafieldMark {
    std::string shop_id;
    std::string customer;      // ledger customer key
    std::int64_t generation = 0;  // bumped by every mark: a write is only as fresh as the one it read
    int attempts = 0;
};

class ShopifyMetafieldQueue {
public:
    // `statements`: the connection owner's cache, for callers that mark on every ledger entry.
    explicit ShopifyMetafieldQueue(SQLite::Database& db, StatementCache* statements = nullptr)
        : m_db(db), m_statements(statements) {}

    // Marks the customer stale in every shop where their Shopify id is known; how many rows.
    Result<int> mark(const std::string& customer, std::int64_t now_ms);
    // Rows not marked for `quiet_ms`, or first marked `max_delay_ms` ago, whose retry time has come.
    Result<std::vector<MetafieldMark>> due(std::int64_t now_ms, std::int64_t quiet_ms, std::int64_t max_delay_ms,
                                           std::size_t limit);
    // Written: the row goes, unless it was marked again after `mark` was read (then it waits again).
    Result<bool> written(const MetafieldMark& mark);
    // Not written: tried again at `next_attempt_ms`.
    Result<bool> failed(const MetafieldMark& mark, std::int64_t next_attempt_ms, const std::string& why);
    Result<std::int64_t> size();

private:
    SQLite::Database& m_db;
    StatementCache* m_statements;
};

}  // namespace rewardd
