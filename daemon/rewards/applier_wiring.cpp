#include "applier_wiring.hpp"

#include "catalog/category_preparer.hpp"
#include "outbox/outbox_worker.hpp"
#include "refunds/refund_line_preparer.hpp"
#include "rewards/cashback_grants.hpp"
#include "rewards/entry_hooks.hpp"
#include "rewards/redemption_codes.hpp"

namespace rewardd {

LedgerApplier::EntryHook daemon_entry_hook(std::shared_ptr<SQLite::Database> db) {
    return chain_entry_hooks({cashback_grant_hook(db, {"woocommerce", "shopify"}), metafield_mark_hook(db, unix_ms_now)});
}

void wire_daemon_applier(LedgerApplier& applier, std::shared_ptr<SQLite::Database> db, const RuleBook& rules) {
    applier.set_entry_hook(daemon_entry_hook(db));
    applier.set_code_lookup(outbox_code_lookup(db));
    if (rules_use_categories(rules)) applier.add_order_preparer(make_category_preparer(db));
    applier.add_order_preparer(make_refund_line_preparer(db));
}

}  // namespace rewardd
