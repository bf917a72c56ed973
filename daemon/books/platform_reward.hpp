// A reward as a platform lists it (a WooCommerce coupon, a Shopify discount code), reduced to
// what reconcile compares, and the shape of rewardd's own codes. Listers fill it; pure.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/shop_registry.hpp"

namespace rewardd::books {

struct PlatformReward {
    std::string code;                    // upper-case
    std::string platform_id;             // coupon id or discount node gid
    std::string amount;                  // the platform's decimal text, e.g. "12.50"
    std::vector<std::string> customers;  // e-mails (WooCommerce) or customer gids (Shopify)
    std::string minimum;                 // the minimum order subtotal, decimal text; "" or zero: none
    int usage_limit = 0;                 // 0: none
    int usage_count = 0;
    std::string grant_ref;               // WooCommerce meta rewardd_grant_id; Shopify title
    bool trashed = false;                // WooCommerce: status "trash", so no customer can use it
};

// Lists every reward on the shop's platform (all pages); an error names what went wrong.
using RewardLister = std::function<Result<std::vector<PlatformReward>>(const Shop& shop)>;

// Reads one reward by what its delivery recorded (WooCommerce: "coupon <id>"), whatever its status;
// nullopt when the platform no longer has it.
using RewardFinder =
    std::function<Result<std::optional<PlatformReward>>(const Shop& shop, const std::string& platform_ref)>;

// A store credit transaction on a customer's account (Shopify), reduced to what reconcile compares.
struct PlatformCredit {
    std::string id;          // transaction gid
    std::string amount;      // decimal text, e.g. "12.50"
    std::string currency;
    std::string expires_at;  // as the platform wrote it; rewardd's credits carry a fingerprint here
};

// Lists every credit transaction of one customer (their platform id) in the shop, all pages.
using CreditLister =
    std::function<Result<std::vector<PlatformCredit>>(const Shop& shop, const std::string& customer_platform_id)>;

// "RWD-1A2B-3C4D-5E6F" or "CB-…": rewardd's prefixes followed by three groups of four hex digits
// (rewards/grant_code.hpp). Case-insensitive, as platforms compare codes.
bool looks_like_rewardd_code(const std::string& code);

}  // namespace rewardd::books
