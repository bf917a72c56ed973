// Redemption: points become a coupon. The reserve ledger entry (keyed by the redemption id) and
// the outbox grant that delivers the coupon are written in ONE transaction, so the points are
// never taken without a coupon on its way, nor a coupon sent without the points taken. The same
// redemption id again returns the first outcome and changes nothing; the same id for another
// customer or other points is refused (exists_with_different_content). Validation and pricing
// are the engine's (core/redemption.hpp: insufficient_points, below_minimum_redemption,
// exceeds_cart_share). Shared by `rewardd redeem` and POST /api/v1/redeem.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/rules.hpp"
#include "core/timestamp.hpp"

namespace rewardd {

struct RedeemRequest {
    std::string shop_id;
    std::string customer_email;  // normalised by redeem()
    std::int64_t points = 0;
    std::string redemption_id;   // the caller's idempotency key ([A-Za-z0-9_.-], up to 100)
    std::string currency;        // empty: the shop's `currency` setting, else the customer's last order's
    std::optional<Timestamp> expires_at;
    std::optional<std::int64_t> cart_total_minor;  // when known, caps the discount (redeem_cart_share_max)
};

struct RedeemOutcome {
    std::string redemption_id;
    std::string entry_key;  // "<shop>:redeem:<redemption id>", also the outbox grant id
    std::string code;       // the coupon code, derived from the redemption id
    std::int64_t points = 0;
    std::int64_t amount_minor = 0;
    std::string currency;
    std::int64_t available_after = 0;
    bool existed = false;   // this redemption id had been redeemed before: nothing new written
    std::int64_t minimum_subtotal_minor = 0;  // the order subtotal the code asks for (0: none)
};

Result<RedeemOutcome> redeem(std::shared_ptr<SQLite::Database> db, const RuleBook& rules, RedeemRequest request,
                             Timestamp now);

}  // namespace rewardd
