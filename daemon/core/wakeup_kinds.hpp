// The wakeups table holds more than orders' releases: a row's shop_id says whose wake-up it is.
// Named here because the applier sets and reads them and an erasure moves a customer's.
#pragma once

#include <string_view>

namespace rewardd {

// A customer's own walk (tiers, expiry): shop "~customer", order id the customer's key.
inline constexpr std::string_view k_customer_wakeup_shop = "~customer";
// A redemption code's expiry: shop "~code:<shop>", order id the code.
inline constexpr std::string_view k_code_wakeup_prefix = "~code:";

}  // namespace rewardd
