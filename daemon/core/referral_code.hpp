// A customer's referral code: derived, not stored, so it is the same on every call and on every
// machine for the same shop and customer, and a code seen on an order can be matched by deriving
// the codes of candidate referrers. Pure (standard library only).
#pragma once

#include <string>
#include <string_view>

namespace rewardd {

// "R" + 10 characters of Crockford base32 (no I, L, O, U): 50 bits of a 64-bit hash of shop and
// customer key. Not a secret: a code only names who referred, it grants nothing by itself.
std::string referral_code(std::string_view shop_id, std::string_view customer_key);

}  // namespace rewardd
