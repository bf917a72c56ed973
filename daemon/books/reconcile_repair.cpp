// The safe repairs: enqueue a grant the ledger issued but the outbox lost, send a delivered grant
// again when its code is gone from the shop, and record that a code the shop saw used was spent
// (a redeem_commit entry, no points moved). Nothing else is ever changed by reconcile.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "books/reconcile.hpp"
#include "core/redemption.hpp"
#include "outbox/outbox_store.hpp"
#include "store/sqlite_store.hpp"

namespace rewardd::books {
namespace {

std::int64_t to_ms(Timestamp t) { return t * 1000; }

Result<std::string> commit_used_code(std::shared_ptr<SQLite::Database> db, const Repair& r, Timestamp now) {
    SqliteStore store(db);
    SQLite::Statement q(*db, std::string("SELECT ") + k_entry_columns + " FROM ledger WHERE key = ?");
    q.bind(1, r.reserve_key);
    if (!q.executeStep()) return make_error(ErrorCode::not_found, "no reservation " + r.reserve_key);
    const LedgerEntry reserve = read_ledger_entry(q);
    auto entries = store.customer_entries(reserve.customer);
    if (!entries) return entries.error();
    // The engine's commit: after a release it takes the points again (the code was used after all).
    const std::string redemption_id = reserve.key.substr(reservation_key(reserve.shop_id, "").size());
    auto commit = commit_redemption(reserve.shop_id, redemption_id, *entries, "", now, reserve.event_id);
    if (!commit) return commit.error();
    for (const auto& done : *entries) {
        if (done.key == commit->key) return "already marked redeemed: " + done.key;
    }
    LedgerEntry e = *commit;
    e.reason = std::to_string(-reserve.available_delta) + " points spent: code " + r.grant.code +
               " used on the shop (found by reconcile)";
    auto w = store.append_entry(e, now);
    if (!w) return w.error();
    return std::string(*w == EntryWrite::conflict ? "conflict, not written: " : "marked redeemed: ") + e.key;
}

Result<std::string> repair(std::shared_ptr<SQLite::Database> db, const Repair& r, Timestamp now) {
    OutboxStore outbox(db);
    switch (r.action) {
        case Repair::Action::enqueue_grant: {
            auto q = outbox.enqueue(r.grant, now);
            if (!q) return q.error();
            return std::string(*q ? "queued delivery of " : "already queued: ") + r.grant.code + " (" +
                   r.grant.grant_id + ")";
        }
        case Repair::Action::requeue_delivery: {
            auto q = outbox.redeliver(r.outbox_id, to_ms(now), now);
            if (!q) return q.error();
            return std::string(*q ? "re-queued delivery of " : "could not re-queue ") + r.grant.code +
                   " (outbox item " + std::to_string(r.outbox_id) + ")";
        }
        case Repair::Action::commit_redemption:
            return commit_used_code(db, r, now);
    }
    return std::string("nothing done");
}

}  // namespace

std::vector<std::string> apply_repairs(std::shared_ptr<SQLite::Database> db, const std::vector<Finding>& findings,
                                       Timestamp now) {
    std::vector<std::string> done;
    for (const auto& f : findings) {
        if (!f.repair) continue;
        try {
            SQLite::Transaction tx(*db);
            auto r = repair(db, *f.repair, now);
            if (r) tx.commit();
            done.push_back(r ? *r : "failed (" + f.subject + "): " + r.error().message);
        } catch (const std::exception& e) {
            done.push_back("failed (" + f.subject + "): " + e.what());
        }
    }
    return done;
}

}  // namespace rewardd::books
