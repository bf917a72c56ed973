// What an applier of the daemon's database runs with besides the engine, so that whoever applies
// waiting events (serve's writer, `rewardd adjust`, `rewardd import`) writes the same ledger and
// queues the same rewards: cashback grants for WooCommerce and Shopify shops, Shopify metafield
// marks, redemption codes used by orders, and (when the rules look at them) product categories.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>

#include "core/rules.hpp"
#include "ingest/ledger_applier.hpp"

namespace rewardd {

// The entry hook: cashback grants queued and metafield marks, in the entries' own transaction.
LedgerApplier::EntryHook daemon_entry_hook(std::shared_ptr<SQLite::Database> db);

// Sets the entry hook, the code lookup and the category preparer on `applier`.
void wire_daemon_applier(LedgerApplier& applier, std::shared_ptr<SQLite::Database> db, const RuleBook& rules);

}  // namespace rewardd
