// Paging and the 429 wait; the coupon fields are read as W3.3 lists them.
#include "books/woocommerce_coupon_lister.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace rewardd::books {
namespace {

constexpr int k_retries_max = 5;
constexpr std::int64_t k_wait_max_ms = 60000;

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

int int_field(const nlohmann::json& j, const char* name) {
    const auto it = j.find(name);
    return it != j.end() && it->is_number_integer() ? it->get<int>() : 0;
}

std::int64_t retry_after_ms(const HttpResponse& r) {
    const std::string text = r.header("retry-after");
    const std::int64_t ms = text.empty() ? 1000 : static_cast<std::int64_t>(std::atof(text.c_str()) * 1000);
    return std::clamp<std::int64_t>(ms, 0, k_wait_max_ms);
}

std::string failure(const HttpResponse& r) {
    return r.error != TransportError::none ? r.error_message : "HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 200);
}

}  // namespace

PlatformReward read_woocommerce_coupon(const nlohmann::json& c) {
    PlatformReward r;
    r.code = upper(c.value("code", ""));
    r.platform_id = c.contains("id") ? c["id"].dump() : "";
    r.amount = c.value("amount", "");
    if (c.contains("email_restrictions") && c["email_restrictions"].is_array()) {
        for (const auto& e : c["email_restrictions"]) {
            if (e.is_string()) r.customers.push_back(e.get<std::string>());
        }
    }
    const auto status = c.find("status");
    r.trashed = status != c.end() && status->is_string() && status->get<std::string>() == "trash";
    if (const auto minimum = c.find("minimum_amount"); minimum != c.end() && minimum->is_string()) {
        r.minimum = minimum->get<std::string>();
    }
    r.usage_limit = int_field(c, "usage_limit");
    r.usage_count = int_field(c, "usage_count");
    if (c.contains("meta_data") && c["meta_data"].is_array()) {
        for (const auto& m : c["meta_data"]) {
            if (m.is_object() && m.value("key", "") == "rewardd_grant_id" && m["value"].is_string()) {
                r.grant_ref = m["value"].get<std::string>();
            }
        }
    }
    return r;
}

HttpResponse WooCommerceCouponLister::get_waiting(const WooCommerceSite& site, const std::string& path,
                                                  const QueryParams& query) {
    for (int attempt = 0;; ++attempt) {
        auto r = m_rest.get(site, path, query);
        if (r.status != 429 || attempt >= k_retries_max) return r;
        m_sleep(retry_after_ms(r));
    }
}

Result<int> WooCommerceCouponLister::fetch_page(const WooCommerceSite& site, int page, std::vector<PlatformReward>& out) {
    const auto r = get_waiting(site, "coupons", {{"per_page", std::to_string(m_per_page)}, {"page", std::to_string(page)}});
    if (r.error != TransportError::none || r.status != 200) {
        return make_error(ErrorCode::platform_unavailable, "listing coupons (page " + std::to_string(page) + "): " + failure(r));
    }
    const auto doc = nlohmann::json::parse(r.body, nullptr, false);
    if (!doc.is_array()) return make_error(ErrorCode::platform_unavailable, "listing coupons: not a JSON array");
    for (const auto& c : doc) out.push_back(read_woocommerce_coupon(c));
    const std::string pages = r.header("x-wp-totalpages");
    return pages.empty() ? (doc.empty() ? page : page + 1) : std::atoi(pages.c_str());
}

Result<std::vector<PlatformReward>> WooCommerceCouponLister::list(const Shop& shop) {
    const auto site = woocommerce_site(shop);
    if (!site) return make_error(ErrorCode::invalid_field, "shop " + shop.id + " has no url, consumer_key or consumer_secret");
    std::vector<PlatformReward> out;
    for (int page = 1;; ++page) {
        auto pages = fetch_page(*site, page, out);
        if (!pages) return pages.error();
        if (page >= *pages) return out;
    }
}

// A coupon read by id answers whatever its status, the trash included; 404 once it is deleted
// for good.
Result<std::optional<PlatformReward>> WooCommerceCouponLister::find(const Shop& shop, const std::string& platform_ref) {
    const auto site = woocommerce_site(shop);
    if (!site) return make_error(ErrorCode::invalid_field, "shop " + shop.id + " has no url, consumer_key or consumer_secret");
    const std::string prefix = "coupon ";
    const std::string id = platform_ref.rfind(prefix, 0) == 0 ? platform_ref.substr(prefix.size()) : "";
    if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) return std::optional<PlatformReward>{};
    const auto r = get_waiting(*site, "coupons/" + id, {});
    if (r.error == TransportError::none && r.status == 404) return std::optional<PlatformReward>{};
    if (r.error != TransportError::none || r.status != 200) {
        return make_error(ErrorCode::platform_unavailable, "reading coupon " + id + ": " + failure(r));
    }
    const auto doc = nlohmann::json::parse(r.body, nullptr, false);
    if (!doc.is_object()) return make_error(ErrorCode::platform_unavailable, "reading coupon " + id + ": not a JSON object");
    return std::optional<PlatformReward>{read_woocommerce_coupon(doc)};
}

}  // namespace rewardd::books
