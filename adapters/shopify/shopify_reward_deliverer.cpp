// Discount code: (lookup if an earlier attempt may have landed) -> create -> TAKEN means look up
// and check the title names this grant. Store credit: look up a credit with this grant's
// fingerprint -> credit only when there is none.
#include "shopify_reward_deliverer.hpp"

#include <spdlog/spdlog.h>

#include "adapters/shopify/reward_requests.hpp"

namespace rewardd::shopify {

DeliveryOutcome to_delivery(const CallOutcome& call) {
    if (call.status == CallStatus::retry) return DeliveryOutcome::retry(call.detail, call.retry_after_ms);
    return DeliveryOutcome::permanent(std::string(call_status_id(call.status)) + ": " + call.detail);
}

ShopifyRewardDeliverer::ShopifyRewardDeliverer(std::shared_ptr<AdminApi> api, Clock clock)
    : m_api(std::move(api)), m_clock(std::move(clock)) {}

DeliveryOutcome ShopifyRewardDeliverer::deliver(const Shop& shop, const RewardGrant& grant) {
    if (!setting(shop, "uninstalled_at").empty()) {
        return DeliveryOutcome::permanent("shop_uninstalled: the app was uninstalled from " + setting(shop, "domain"));
    }
    try {
        return grant.kind == RewardKind::store_credit ? deliver_store_credit(shop, grant) : deliver_code(shop, grant);
    } catch (const nlohmann::json::exception& e) {
        m_uncertain.insert(grant.grant_id);
        return DeliveryOutcome::retry(std::string("unexpected Admin API answer: ") + e.what());
    }
}

std::optional<DeliveryOutcome> ShopifyRewardDeliverer::find_code(const Shop& shop, const RewardGrant& grant,
                                                                 CallOutcome& call) {
    const auto lookup = discount_code_lookup(reward_code(grant));
    nlohmann::json data;
    call = m_api->graphql.call(shop, lookup.query, lookup.variables, data, 2);
    if (!call.ok()) return to_delivery(call);
    const auto found = read_discount_lookup(data);
    if (!found) return std::nullopt;
    if (!title_names_grant(found->title, grant.grant_id)) {
        return DeliveryOutcome::permanent("code_taken: code " + reward_code(grant) + " belongs to another discount");
    }
    spdlog::info("shopify: discount code already on the shop shop={} grant={} node={}", shop.id, grant.grant_id,
                 found->node_id);
    return DeliveryOutcome::delivered(found->node_id);
}

DeliveryOutcome ShopifyRewardDeliverer::deliver_code(const Shop& shop, const RewardGrant& grant) {
    CallOutcome call;
    if (m_uncertain.count(grant.grant_id)) {
        if (auto earlier = find_code(shop, grant, call)) {
            if (earlier->status == DeliveryStatus::delivered) m_uncertain.erase(grant.grant_id);
            return *earlier;
        }
    }
    auto document = discount_code_create(grant, m_clock(), m_api->graphql.options().api_version);
    if (!document) return DeliveryOutcome::permanent(std::string(error_id(document.error().code)) + ": " +
                                                     document.error().message);
    nlohmann::json data;
    call = m_api->graphql.call(shop, document->query, document->variables, data, 10);
    if (!call.ok()) {
        if (call.status == CallStatus::retry) m_uncertain.insert(grant.grant_id);
        return to_delivery(call);
    }
    const auto answer = read_discount_create(data);
    if (!answer.node_id.empty()) {
        m_uncertain.erase(grant.grant_id);
        return DeliveryOutcome::delivered(answer.node_id);
    }
    if (!answer.code_taken) return DeliveryOutcome::permanent("shopify_user_error: " + answer.error);
    // TAKEN: most likely our own earlier attempt whose answer was lost.
    if (auto earlier = find_code(shop, grant, call)) {
        if (earlier->status == DeliveryStatus::delivered) m_uncertain.erase(grant.grant_id);
        return *earlier;
    }
    return DeliveryOutcome::retry("code reported taken but not found yet");
}

DeliveryOutcome ShopifyRewardDeliverer::deliver_store_credit(const Shop& shop, const RewardGrant& grant) {
    auto document = store_credit_create(grant);
    if (!document) return DeliveryOutcome::permanent(std::string(error_id(document.error().code)) + ": " +
                                                     document.error().message);
    const auto lookup = store_credit_lookup(grant);
    nlohmann::json found;
    if (auto call = m_api->graphql.call(shop, lookup.query, lookup.variables, found, 20); !call.ok()) {
        return to_delivery(call);
    }
    if (auto earlier = find_store_credit(found, grant)) {
        spdlog::info("shopify: store credit already on the shop shop={} grant={} tx={}", shop.id, grant.grant_id,
                     *earlier);
        return DeliveryOutcome::delivered(*earlier);
    }
    nlohmann::json data;
    if (auto call = m_api->graphql.call(shop, document->query, document->variables, data, 10); !call.ok()) {
        return to_delivery(call);
    }
    const auto answer = read_store_credit_create(data);
    if (answer.transaction_id.empty()) return DeliveryOutcome::permanent("shopify_user_error: " + answer.error);
    return DeliveryOutcome::delivered(answer.transaction_id);
}

}  // namespace rewardd::shopify
