// WooCommerce REST coupons (INTEGRATION.md W3.3) <-> rewardd grants: the POST /wc/v3/coupons body
// for a grant (single use, restricted to the customer's e-mail, fixed cart amount, optional
// expiry, the grant id in meta_data) and the reading of WooCommerce's answers. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/timestamp.hpp"

namespace rewardd::woocommerce {

inline constexpr const char* k_grant_meta_key = "rewardd_grant_id";
inline constexpr const char* k_duplicate_code_error = "woocommerce_rest_coupon_code_already_exists";

struct CouponRequest {
    std::string grant_id;
    std::string code;
    std::int64_t amount_minor = 0;
    std::string currency;
    std::string customer_email;
    std::optional<Timestamp> expires_at;
    std::string description;
    std::int64_t minimum_subtotal_minor = 0;  // minimum_amount; 0: none
};

// The JSON body of POST /wp-json/wc/v3/coupons.
std::string coupon_request_json(const CouponRequest& request);

// {"code","message","data":{"status"}} of a WooCommerce REST error; empty code when not one.
struct RestError {
    std::string code;
    std::string message;
};
RestError read_rest_error(std::string_view body);

// The id of a created coupon (a 201 body); nullopt when the body is not a coupon.
std::optional<std::string> read_coupon_id(std::string_view body);

// In a GET /coupons?code=… answer: the id of the coupon whose code matches (case-insensitively)
// and whose meta_data names `grant_id`. nullopt when there is none, i.e. the code is someone else's.
std::optional<std::string> find_granted_coupon(std::string_view list_body, std::string_view code,
                                               std::string_view grant_id);

}  // namespace rewardd::woocommerce
