// The outbox table on SQLite: enqueue a grant (inside the caller's transaction, beside its ledger
// entry), find due items, and record each attempt's outcome. One instance per connection.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "outbox/reward_deliverer.hpp"

namespace rewardd {

class OutboxStore {
public:
    explicit OutboxStore(std::shared_ptr<SQLite::Database> db) : m_db(std::move(db)) {}

    // Inserts a pending item due now; false (nothing changed) when the grant id is already there.
    Result<bool> enqueue(const RewardGrant& grant, Timestamp now);
    Result<std::vector<OutboxItem>> due(std::int64_t now_ms, std::size_t limit);
    Result<std::vector<OutboxItem>> list(std::optional<OutboxStatus> status);
    Result<std::optional<OutboxItem>> find(std::int64_t id);
    Result<std::optional<OutboxItem>> find_by_grant(const std::string& grant_id);
    // The shop's grant that issued `code` (exact, upper case as issued); scans the shop's grants,
    // and is only asked for codes that carry rewardd's prefix.
    Result<std::optional<OutboxItem>> find_by_code(const std::string& shop_id, const std::string& code);

    Result<bool> mark_delivered(std::int64_t id, const std::string& platform_ref, Timestamp now);
    Result<bool> mark_retry(std::int64_t id, std::int64_t next_attempt_at_ms, const std::string& why,
                            Timestamp now);
    Result<bool> park(std::int64_t id, const std::string& why, Timestamp now);
    // An operator's retry: a parked (or pending) item becomes due now, attempts start over.
    // False when there is no such item or it was already delivered.
    Result<bool> requeue(std::int64_t id, std::int64_t now_ms, Timestamp now);
    // `reconcile --fix`: a delivered item whose reward is gone from the platform is sent again
    // (the deliverer is idempotent per grant). False when the item is not delivered.
    Result<bool> redeliver(std::int64_t id, std::int64_t now_ms, Timestamp now);

private:
    // The item becomes pending and due now, attempts start over, when `condition` (SQL) holds.
    Result<bool> make_due(std::int64_t id, std::int64_t now_ms, Timestamp now, const char* condition);

    std::shared_ptr<SQLite::Database> m_db;
};

}  // namespace rewardd
