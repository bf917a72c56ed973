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

namespace {

// The writer's connection and the mark statement compiled once for it (it runs for every entry);
// members in this order so the statements are finalized before the connection can close.
struct MarkConnection {
    explicit MarkConnection(std::shared_ptr<SQLite::Database> connection)
        : db(std::move(connection)), statements(*db) {}
    std::shared_ptr<SQLite::Database> db;
    StatementCache statements;
};

}  // namespace

LedgerApplier::EntryHook metafield_mark_hook(std::shared_ptr<SQLite::Database> writer_db,
                                             std::function<std::int64_t()> unix_ms_clock) {
    auto connection = std::make_shared<MarkConnection>(std::move(writer_db));
    return [connection, clock = std::move(unix_ms_clock)](const LedgerEntry& entry, Timestamp) -> Result<bool> {
        if (entry.customer.empty()) return true;
        auto marked =
            ShopifyMetafieldQueue(*connection->db, &connection->statements).mark(entry.customer, clock());
        if (!marked) return marked.error();
        return true;
    };
}

}  // namespace rewardd
