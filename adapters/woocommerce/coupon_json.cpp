// Coupon JSON. Amounts are written as decimal strings from minor units (never a double).
#include "coupon_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "adapters/woocommerce/order_snapshot.hpp"
#include "core/money.hpp"

namespace rewardd::woocommerce {
namespace {

using nlohmann::json;

std::optional<json> parse(std::string_view body) {
    try {
        return json::parse(body);
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::optional<std::string> id_of(const json& coupon) {
    const auto id = coupon.find("id");
    if (id == coupon.end() || !id->is_number_integer()) return std::nullopt;
    return id->dump();
}

bool names_grant(const json& coupon, std::string_view grant_id) {
    const auto meta = coupon.find("meta_data");
    if (meta == coupon.end() || !meta->is_array()) return false;
    return std::any_of(meta->begin(), meta->end(), [&](const json& m) {
        return m.is_object() && m.value("key", "") == k_grant_meta_key && m.contains("value") &&
               m["value"].is_string() && m["value"].get<std::string>() == grant_id;
    });
}

}  // namespace

std::string coupon_request_json(const CouponRequest& r) {
    json doc{{"code", r.code},
             {"discount_type", "fixed_cart"},
             {"amount", format_minor(r.amount_minor, currency_exponent(r.currency).value_or(2))},
             {"description", r.description},
             {"individual_use", false},
             {"usage_limit", 1},
             {"usage_limit_per_user", 1},
             {"email_restrictions", json::array({r.customer_email})},
             {"meta_data", json::array({{{"key", k_grant_meta_key}, {"value", r.grant_id}}})}};
    if (r.minimum_subtotal_minor > 0) {  // WooCommerce compares it with the cart's subtotal
        doc["minimum_amount"] = format_minor(r.minimum_subtotal_minor, currency_exponent(r.currency).value_or(2));
    }
    if (r.expires_at) doc["date_expires_gmt"] = format_gmt(*r.expires_at);
    return doc.dump();
}

RestError read_rest_error(std::string_view body) {
    const auto doc = parse(body);
    if (!doc || !doc->is_object()) return {};
    return {doc->value("code", ""), doc->value("message", "")};
}

std::optional<std::string> read_coupon_id(std::string_view body) {
    const auto doc = parse(body);
    if (!doc || !doc->is_object()) return std::nullopt;
    return id_of(*doc);
}

std::optional<std::string> find_granted_coupon(std::string_view list_body, std::string_view code,
                                               std::string_view grant_id) {
    const auto doc = parse(list_body);
    if (!doc || !doc->is_array()) return std::nullopt;
    for (const auto& coupon : *doc) {
        if (!coupon.is_object() || lower(coupon.value("code", "")) != lower(code)) continue;
        if (names_grant(coupon, grant_id)) return id_of(coupon);
    }
    return std::nullopt;
}

}  // namespace rewardd::woocommerce
