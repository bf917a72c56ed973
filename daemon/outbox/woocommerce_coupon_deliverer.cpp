// One delivery attempt: create, or confirm the coupon an earlier attempt created.
#include "woocommerce_coupon_deliverer.hpp"

#include <spdlog/spdlog.h>

#include "adapters/woocommerce/coupon_json.hpp"

namespace rewardd {
namespace {

std::optional<std::int64_t> retry_after_ms(const HttpResponse& response) {
    const std::string value = response.header("retry-after");
    if (value.empty() || value.size() > 6 || value.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;  // an HTTP-date (rare from WordPress) falls back to the backoff
    }
    return std::stoll(value) * 1000;
}

}  // namespace

DeliveryOutcome classify_failure(const HttpResponse& response, const std::string& what) {
    if (response.error != TransportError::none) {
        return DeliveryOutcome::retry(what + ": " + transport_error_id(response.error) + ": " + response.error_message);
    }
    const auto error = woocommerce::read_rest_error(response.body);
    std::string why = what + ": HTTP " + std::to_string(response.status);
    if (!error.code.empty()) why += " " + error.code + ": " + error.message;
    if (response.status == 429) return DeliveryOutcome::retry(why, retry_after_ms(response));
    if (response.status >= 500 || response.status == 408) return DeliveryOutcome::retry(why, retry_after_ms(response));
    return DeliveryOutcome::permanent(why);
}

DeliveryOutcome WooCommerceCouponDeliverer::deliver(const Shop& shop, const RewardGrant& grant) {
    if (grant.kind != RewardKind::coupon) {
        return DeliveryOutcome::permanent("WooCommerce has no store credit: only coupon grants are delivered");
    }
    const auto site = woocommerce_site(shop);
    if (!site) {
        return DeliveryOutcome::permanent("shop " + shop.id + " lacks --url, --consumer-key or --consumer-secret");
    }
    if (grant.customer_email.empty()) return DeliveryOutcome::permanent("grant has no customer e-mail to restrict to");
    const woocommerce::CouponRequest request{grant.grant_id, grant.code, grant.amount_minor, grant.currency,
                                             grant.customer_email, grant.expires_at, grant.description,
                                             grant.minimum_subtotal_minor};
    const HttpResponse response = m_rest.post_json(*site, "coupons", woocommerce::coupon_request_json(request));
    if (response.error == TransportError::none && (response.status == 201 || response.status == 200)) {
        const auto id = woocommerce::read_coupon_id(response.body);
        if (id) return DeliveryOutcome::delivered("coupon " + *id);
        return DeliveryOutcome::retry("create coupon: answer without a coupon id");
    }
    if (response.error == TransportError::none && response.status == 400 &&
        woocommerce::read_rest_error(response.body).code == woocommerce::k_duplicate_code_error) {
        return find_existing(*site, grant);
    }
    return classify_failure(response, "create coupon");
}

DeliveryOutcome WooCommerceCouponDeliverer::find_existing(const WooCommerceSite& site, const RewardGrant& grant) {
    const HttpResponse response = m_rest.get(site, "coupons", {{"code", grant.code}});
    if (response.error != TransportError::none || response.status != 200) {
        return classify_failure(response, "look up existing coupon");
    }
    const auto id = woocommerce::find_granted_coupon(response.body, grant.code, grant.grant_id);
    if (!id) {
        return DeliveryOutcome::permanent("coupon code " + grant.code + " exists in the shop for another grant");
    }
    spdlog::info("woocommerce: coupon already created by an earlier attempt grant={} coupon={}", grant.grant_id, *id);
    return DeliveryOutcome::delivered("coupon " + *id);
}

}  // namespace rewardd
