// Entry hooks: chaining, and the Shopify metafield mark.
#include "entry_hooks.hpp"

#include "store/shopify_metafield_queue.hpp"

namespace rewardd {

LedgerApplier::EntryHook chain_entry_hooks(std::vector<LedgerApplier::EntryHook> hooks) {
    return [hooks = std::move(hooks)](const LedgerEntry& entry, Timestamp now) -> Result<bool> {
        for (const auto& hook : hooks) {
            if (auto r = hook(entry, now); !r) return r;
        }
        return true;
    };
}

LedgerApplier::EntryHook metafield_mark_hook(std::shared_ptr<SQLite::Database> writer_db,
                                             std::function<std::int64_t()> unix_ms_clock) {
    return [db = std::move(writer_db), clock = std::move(unix_ms_clock)](const LedgerEntry& entry,
                                                                          Timestamp) -> Result<bool> {
        if (entry.customer.empty()) return true;
        auto marked = ShopifyMetafieldQueue(*db).mark(entry.customer, clock());
        if (!marked) return marked.error();
        return true;
    };
}

}  // namespace rewardd
