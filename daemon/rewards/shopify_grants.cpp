// Shopify addressing of grants.
#include "shopify_grants.hpp"

#include "store/shopify_customers.hpp"

namespace rewardd {

bool is_cashback_choice(const std::string& value) { return value == "code" || value == "store-credit"; }

Result<bool> address_shopify_grant(SQLite::Database& db, const std::string& customer, RewardGrant& grant) {
    auto id = ShopifyCustomers(db).find(grant.shop_id, customer);
    if (!id) return id.error();
    grant.customer_platform_id = *id;
    return !id->empty();
}

void apply_cashback_choice(const Shop& shop, RewardGrant& grant) {
    const auto it = shop.settings.find("cashback_as");
    if (it == shop.settings.end() || it->second != "store-credit") return;
    grant.kind = RewardKind::store_credit;
    grant.code.clear();
}

}  // namespace rewardd
