// Lists a WooCommerce shop's coupons page by page (GET /wc/v3/coupons?per_page=100&page=N until
// X-WP-TotalPages, INTEGRATION.md W3.2), waiting out a 429's Retry-After (bounded) before asking
// for the same page again. A coupon's `status` "trash" marks it trashed: newer coupons controllers
// list every status by default, older ones leave the trash out, and `find` reads one coupon by id
// whatever its status.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>

#include "books/platform_reward.hpp"
#include "outbox/woocommerce_rest.hpp"

namespace rewardd::books {

class WooCommerceCouponLister {
public:
    using Sleeper = std::function<void(std::int64_t ms)>;

    WooCommerceCouponLister(WooCommerceRest rest, Sleeper sleep, int per_page = 100)
        : m_rest(std::move(rest)), m_sleep(std::move(sleep)), m_per_page(per_page) {}

    Result<std::vector<PlatformReward>> list(const Shop& shop);
    // The coupon a delivery recorded ("coupon <id>"); nullopt when WooCommerce no longer has it.
    Result<std::optional<PlatformReward>> find(const Shop& shop, const std::string& platform_ref);

private:
    HttpResponse get_waiting(const WooCommerceSite& site, const std::string& path, const QueryParams& query);
    Result<int> fetch_page(const WooCommerceSite& site, int page, std::vector<PlatformReward>& out);

    WooCommerceRest m_rest;
    Sleeper m_sleep;
    int m_per_page;
};

// One coupon of a GET /coupons answer.
PlatformReward read_woocommerce_coupon(const nlohmann::json& coupon);

}  // namespace rewardd::books
