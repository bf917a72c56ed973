// A WooCommerce order as one webhook body shows it (REST v3 shape, INTEGRATION.md W2): the neutral
// order, its status and the dates and refunds that decide which events it implies. Money strings
// become minor units through core's exact decimal parser, never a double.
// Depends on core and nlohmann-json only.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/result.hpp"

namespace rewardd::woocommerce {

using nlohmann::json;

// The order meta key the WordPress plugin writes the referral code under (a key without a leading
// underscore, which REST output could hide: INTEGRATION.md W2).
inline constexpr const char* k_referral_meta_key = "rewardd_referral_code";

struct RefundSummary {
    std::string id;
    std::int64_t amount_minor = 0;  // positive: WooCommerce lists refunds with a negative total
};

struct OrderSnapshot {
    Order order;
    std::string status;  // without the "wc-" prefix
    Timestamp created_at = 0;
    Timestamp modified_at = 0;  // when WooCommerce built this body, near enough
    std::optional<Timestamp> paid_at;
    std::optional<Timestamp> completed_at;
    std::vector<RefundSummary> refunds;
};

// Reads the order; errors name the field at fault ("line_items[0].total").
Result<OrderSnapshot> read_order(const json& doc);

// Helpers shared with the customer mapping.
Error field_error(ErrorCode code, const std::string& field, const std::string& why);
std::string read_string(const json& obj, const char* key);
Result<std::string> read_id(const json& obj, const char* key, const std::string& path);
// obj[key] when it is an array, else an empty one.
const json& array_or_empty(const json& obj, const char* key);
// "59.90" -> 5990 in the order's currency. Absent or null is 0 unless required. Only a refund's
// amounts may be negative (WooCommerce writes refunds as "-20.00"): a negative line, tax, shipping
// or order total is no order WooCommerce makes. WooCommerce writes amounts with the shop's number
// of decimals, not the currency's, so digits beyond the currency's are rounded half away from zero
// ("299.70" JPY is 300) rather than refused.
Result<std::int64_t> read_money(const json& obj, const char* key, int exponent, const std::string& path,
                                bool required = false, bool allow_negative = false);
// What a list of lines (doc[lines_key]: fees, shipping) adds up to: take(amount) of each of `keys`
// in each line, within the amount range. Errors name the field ("fee_lines[1].total_tax").
Result<std::int64_t> sum_line_amounts(const json& doc, const char* lines_key, std::initializer_list<const char*> keys,
                                      int exponent, std::int64_t (*take)(std::int64_t));
// A *_gmt date (UTC without offset); nullopt when null or absent.
Result<std::optional<Timestamp>> read_gmt(const json& obj, const char* key);
// `t` as WooCommerce writes and reads a *_gmt date: "2026-12-07T20:00:00", UTC without a zone.
std::string format_gmt(Timestamp t);

}  // namespace rewardd::woocommerce
