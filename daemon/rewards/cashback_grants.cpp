// The hook runs on the writer thread inside the batch transaction.
#include "cashback_grants.hpp"

#include <spdlog/spdlog.h>

#include "core/customer_key.hpp"
#include "outbox/outbox_store.hpp"
#include "rewards/grant_code.hpp"
#include "rewards/shopify_grants.hpp"

namespace rewardd {

RewardGrant cashback_grant(const LedgerEntry& due) {
    RewardGrant g;
    g.grant_id = due.key;
    g.shop_id = due.shop_id;
    g.kind = RewardKind::coupon;
    g.code = grant_coupon_code("CB", due.key);
    g.amount_minor = due.base_minor;
    g.currency = due.currency;
    g.customer_email = due.customer.find('@') != std::string::npos ? due.customer : "";
    g.description = "rewardd cashback for order " + due.order_id;
    return g;
}

LedgerApplier::EntryHook cashback_grant_hook(std::shared_ptr<SQLite::Database> writer_db,
                                             std::set<std::string> platforms) {
    return [db = std::move(writer_db), platforms = std::move(platforms)](const LedgerEntry& entry,
                                                                          Timestamp now) -> Result<bool> {
        if (entry.kind != EntryKind::cashback_due || entry.base_minor <= 0) return true;
        auto shop = ShopRegistry(db).find(entry.shop_id);
        if (!shop) return shop.error();
        if (!shop->has_value() || !platforms.count((*shop)->platform)) return true;
        RewardGrant grant = cashback_grant(entry);
        if ((*shop)->platform == "shopify") {
            auto addressed = address_shopify_grant(*db, entry.customer, grant);
            if (!addressed) return addressed.error();
            if (!*addressed) {
                spdlog::warn("outbox: cashback for a customer without a known Shopify id not issued key={}", entry.key);
                return true;
            }
            apply_cashback_choice(**shop, grant);
        } else if (grant.customer_email.empty()) {
            spdlog::warn("outbox: cashback without e-mail not issued key={}", entry.key);
            return true;
        }
        auto queued = OutboxStore(db).enqueue(grant, now);
        if (!queued) return queued.error();
        spdlog::info("outbox: cashback queued grant={} shop={} kind={} customer={}", grant.grant_id, grant.shop_id,
                     reward_kind_id(grant.kind), mask_email(grant.customer_email));
        return true;
    };
}

}  // namespace rewardd
