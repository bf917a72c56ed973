// Delivers issued rewards to a Shopify shop through the Admin GraphQL API: a customer-restricted,
// single-use discount code, or store credit on the customer. Idempotent per grant id: a code
// taken by our own earlier attempt (same grant id in its title) counts as delivered, and a store
// credit is looked up before it is made again. Called from the outbox worker thread only.
#pragma once

#include <memory>
#include <set>

#include "adapters/shopify/admin_api.hpp"
#include "outbox/reward_deliverer.hpp"

namespace rewardd::shopify {

class ShopifyRewardDeliverer final : public RewardDeliverer {
public:
    using Clock = std::function<Timestamp()>;
    ShopifyRewardDeliverer(std::shared_ptr<AdminApi> api, Clock clock);

    std::string platform() const override { return "shopify"; }
    DeliveryOutcome deliver(const Shop& shop, const RewardGrant& grant) override;

private:
    DeliveryOutcome deliver_code(const Shop& shop, const RewardGrant& grant);
    DeliveryOutcome deliver_store_credit(const Shop& shop, const RewardGrant& grant);
    // Our code already on the shop? delivered(id); someone else's? permanent; none: nullopt.
    std::optional<DeliveryOutcome> find_code(const Shop& shop, const RewardGrant& grant, CallOutcome& call);

    std::shared_ptr<AdminApi> m_api;
    Clock m_clock;
    std::set<std::string> m_uncertain;  // grants whose create may have happened (timeout, 5xx)
};

// A call's failure in outbox terms: retry keeps the item, anything else parks it.
DeliveryOutcome to_delivery(const CallOutcome& call);

}  // namespace rewardd::shopify
