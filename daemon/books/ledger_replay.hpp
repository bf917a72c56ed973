// Replays the stored events under the recorded rule versions, in the batches and at the times the
// daemon applied them (apply_log), into a private in-memory database with the daemon's own
// LedgerApplier, and reads the recorded ledger the same way, so reconcile and simulate compare
// like with like. The real database is only read (attached to the replay while it is copied).
#pragma once

#include <SQLiteCpp/Database.h>

#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "core/ledger_entry.hpp"
#include "core/result.hpp"
#include "core/rules.hpp"

namespace rewardd::books {

// Entries written outside the engine (redemptions by `redeem` and /api/v1): replay starts from
// them as recorded, since no event reproduces them.
bool written_outside_engine(EntryKind kind);

struct ReplayOptions {
    Timestamp now = 0;   // releases, expiries and tiers due by then are written
    bool applied_only = true;  // only events the daemon has applied (up to its apply cursor)
    Timestamp until = std::numeric_limits<Timestamp>::max();  // only events that occurred by then
    // An order whose product categories are not in the catalogue, or with a WooCommerce refund
    // whose document the daemon is still fetching: waits, as in the daemon (reconcile), or is
    // applied without them (simulate: proposed category rules the shop never fetched categories
    // for must not hold its orders back).
    bool wait_for_fetches = true;
};

// Replays, then hands the replay's database to `read` (its ledger table is the replayed ledger)
// before it is removed: to read the replayed ledger without holding it (LedgerByKey).
Result<bool> replay_ledger(SQLite::Database& source, const RuleBook& rules, const ReplayOptions& options,
                           const std::function<Result<bool>(SQLite::Database& replayed)>& read);
// The replayed ledger, by key.
Result<std::map<std::string, LedgerEntry>> replay_ledger(SQLite::Database& source, const RuleBook& rules,
                                                        const ReplayOptions& options);

// The recorded ledger by key, erased customers shown under their pseudonym (in the customer
// column and inside keys that name the customer), as a replay of the scrubbed events writes them.
Result<std::map<std::string, LedgerEntry>> recorded_ledger(SQLite::Database& source);

// When the applier last wrote (the newest recorded_at), else the newest event's received_at.
Result<Timestamp> last_applied_at(SQLite::Database& source);

}  // namespace rewardd::books
