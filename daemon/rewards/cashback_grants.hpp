// Cashback that becomes due (ledger entry kind cashback_due, written by the applier) is issued as a
// coupon (Shopify: a discount code for the customer's Shopify id, or store credit where the shop
// chose it): the grant is enqueued in the outbox inside the same transaction as the entry, on the
// writer's own connection, so a crash can lose neither or both.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <set>
#include <string>

#include "ingest/ledger_applier.hpp"
#include "outbox/reward_deliverer.hpp"

namespace rewardd {

// The grant for a cashback_due entry: id = the entry's key, code "CB-…" derived from it.
RewardGrant cashback_grant(const LedgerEntry& due);

// The applier hook that enqueues cashback grants for shops on `platforms` (those with a
// deliverer); other shops' cashback stays in the ledger as due, visible in `explain`.
LedgerApplier::EntryHook cashback_grant_hook(std::shared_ptr<SQLite::Database> writer_db,
                                             std::set<std::string> platforms);

}  // namespace rewardd
