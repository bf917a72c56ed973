// The applier's per-entry hooks `serve` installs (LedgerApplier::EntryHook: called for each entry
// newly written, inside the batch transaction, on the writer's connection).
#pragma once

#include <SQLiteCpp/Database.h>

#include <functional>
#include <memory>
#include <vector>

#include "ingest/ledger_applier.hpp"

namespace rewardd {

// Runs `hooks` one after the other; the first error stops the chain (and rolls the batch back).
LedgerApplier::EntryHook chain_entry_hooks(std::vector<LedgerApplier::EntryHook> hooks);

// Marks the entry's customer stale in every Shopify shop that knows them, so their balance and
// tier metafields are rewritten once the burst of changes is over (store/shopify_metafield_queue.hpp).
LedgerApplier::EntryHook metafield_mark_hook(std::shared_ptr<SQLite::Database> writer_db,
                                             std::function<std::int64_t()> unix_ms_clock);

}  // namespace rewardd
