// A customer's referral code: derived, not stored, so it is the same on every call and on every
// machine for the same shop and customer, and a code seen on an order can be matched by deriving
// the codes of candidate referrers. Pure (standard library only).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rewardd {

// "R" + 10 characters of Crockford base32 (no I, L, O, U): 50 bits of a 64-bit hash of shop and
// customer key. Not a secret: a code only names who referred, it grants nothing by itself.
std::string referral_code(std::string_view shop_id, std::string_view customer_key);

// A code as typed or carried by a platform: trimmed and upper-cased ("r3k9..." -> "R3K9...").
std::string normalise_referral_code(std::string_view code);

}  // namespace rewardd
