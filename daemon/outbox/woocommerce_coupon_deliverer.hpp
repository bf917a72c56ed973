// Delivers coupon grants to WooCommerce shops: POST /wc/v3/coupons with the grant's deterministic
// code. Idempotent per grant: when WooCommerce answers that the code already exists, the coupon
// is looked up by code and counts as delivered if its meta_data carries this grant's id (an
// earlier attempt whose answer was lost); another grant's coupon is a collision, parked.
#pragma once

#include "outbox/reward_deliverer.hpp"
#include "outbox/woocommerce_rest.hpp"

namespace rewardd {

class WooCommerceCouponDeliverer final : public RewardDeliverer {
public:
    explicit WooCommerceCouponDeliverer(WooCommerceRest rest) : m_rest(std::move(rest)) {}

    std::string platform() const override { return "woocommerce"; }
    DeliveryOutcome deliver(const Shop& shop, const RewardGrant& grant) override;

private:
    DeliveryOutcome find_existing(const WooCommerceSite& site, const RewardGrant& grant);

    WooCommerceRest m_rest;
};

// How a failed REST answer is treated: 429, 5xx and transport trouble are retried (429 with its
// Retry-After); anything else (400, 401, 403, 404) is permanent, with WooCommerce's code and message.
DeliveryOutcome classify_failure(const HttpResponse& response, const std::string& what);

}  // namespace rewardd
