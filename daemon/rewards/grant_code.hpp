// Coupon codes derived from a grant id, so a retried delivery always asks the platform for the
// same code and a second coupon can never appear (INTEGRATION.md W3.3). Upper-case [A-Z0-9-] only:
// WooCommerce stores codes lower-cased and Shopify compares them case-insensitively (P18).
#pragma once

#include <string>
#include <string_view>

namespace rewardd {

// "<PREFIX>-XXXX-XXXX-XXXX" from the first 48 bits of SHA-256(grant_id), in hex.
std::string grant_coupon_code(std::string_view prefix, std::string_view grant_id);

}  // namespace rewardd
