// Redemption: turning available points into a single-use discount code. Pure: it validates a
// request against the rules and the customer's balance and returns the ledger entries to write;
// the caller (CLI, API, outbox) stores them and creates the code on the platform.
//
// Life of a redemption, all keyed by the caller's stable redemption id:
//   plan_redemption     -> "<shop>:redeem:<id>"          kind reserve, available -= points
//   commit_redemption   -> "<shop>:redeem:<id>:commit"   kind redeem_commit, no delta: an order used
//                          the code, the reservation is now a spend for good
//   release_redemption  -> "<shop>:redeem:<id>:release"  kind reserve_release, available += points:
//                          the code expired (or was withdrawn) unused
// Commit and release exclude each other. Every function is idempotent: given the redemption's
// existing entries it returns the entry already written instead of a second one, and the code is
// derived from (shop, redemption id) alone, so a retry can never make a second code.
//
// Amounts: discount = points * 10^exponent / redeem_points_per_unit minor units. A redemption only
// ever uses points that buy whole minor units: the requested points are floored to the nearest
// such amount (e.g. JPY at 100 points = 1 yen: 550 -> 500 points for 5 yen) and the minimum is
// checked after flooring. The customer is never charged for a fraction of a minor unit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event.hpp"
#include "ledger_entry.hpp"
#include "money.hpp"
#include "result.hpp"
#include "rules.hpp"

namespace rewardd {

struct RedemptionRequest {
    std::string shop_id;
    std::string redemption_id;  // stable across retries (e.g. the API request's idempotency key)
    std::string customer;       // customer key (customer_key())
    std::int64_t points = 0;    // requested; see the flooring rule above
    std::string currency;       // the shop's currency: decides the minor units of the discount
    std::optional<std::int64_t> cart_total_minor;  // when known, caps the discount (cart share)
    Timestamp at = 0;           // business time of the request
    std::string event_id;       // the stored event or request that asked for it, if any
};

struct RedemptionPlan {
    std::string code;            // "RW-" + 16 base32 characters, from redemption_code()
    std::int64_t points = 0;     // points reserved (after flooring)
    Money discount;              // value of the code
    std::int64_t minimum_subtotal_minor = 0;  // the order subtotal the code asks for (0: none)
    LedgerEntry reserve;         // the entry to write (or the one already written)
    bool already_reserved = false;  // a retry: `reserve` came from `existing`
};

// Validates and prices a redemption. `available_points` is the customer's available balance now;
// `existing` may hold any entries (the customer's, or just this redemption's): only those keyed
// for this redemption are used. Errors (error_id):
//   invalid_field             points <= 0, empty ids, or the shop's currency is unknown
//   below_minimum_redemption  floored points under redeem_minimum_points (or buy nothing)
//   insufficient_points       more points than available
//   exceeds_cart_share        the discount is over redeem_cart_share_max of cart_total_minor
//   exists_with_different_content  the redemption id was already used for other points/customer
Result<RedemptionPlan> plan_redemption(const Rules& rules, const RedemptionRequest& request,
                                       std::int64_t available_points,
                                       const std::vector<LedgerEntry>& existing = {});

// The smallest order subtotal (minor units, before the code) a code worth `value_minor` may pay
// into, so that it is at most redeem_cart_share_max of it: value / share, rounded up. 0 when the
// share is 100 %. The code carries it (WooCommerce minimum_amount, Shopify minimumRequirement):
// the cart given at redeem time is only what the customer had then, and a code redeemed with an
// empty cart would otherwise pay a whole order.
std::int64_t redemption_minimum_subtotal(const Rules& rules, std::int64_t value_minor);

// Marks the code used by `order_id`. After a release (the code expired and its points came back)
// the commit takes the points again, so a discount the customer had is always paid for.
// Errors: not_found (no reservation in `existing`).
Result<LedgerEntry> commit_redemption(const std::string& shop_id, const std::string& redemption_id,
                                      const std::vector<LedgerEntry>& existing,
                                      const std::string& order_id, Timestamp at,
                                      const std::string& event_id = {});

// Gives the reserved points back (code expired or withdrawn unused). Errors: not_found,
// redemption_committed (an order already used the code).
Result<LedgerEntry> release_redemption(const std::string& shop_id, const std::string& redemption_id,
                                       const std::vector<LedgerEntry>& existing, Timestamp at,
                                       const std::string& reason = "code expired unused");

// Deterministic code for a redemption: "RW-" + 16 Crockford base32 characters (80 bits) of two
// FNV-1a hashes of "<shop>:<redemption id>". Upper case, no I, L, O or U.
std::string redemption_code(std::string_view shop_id, std::string_view redemption_id);

// "<shop>:redeem:<id>": the reservation (the key `rewardd redeem` and the API have always written,
// and the outbox grant id of its code).
std::string reservation_key(std::string_view shop_id, std::string_view redemption_id);
// "<shop>:redeem:<id>:<step>" with step commit or release.
std::string redemption_key(std::string_view shop_id, std::string_view redemption_id, std::string_view step);

// An order's use of a discount code: the event that shows the order paid with the code on it.
struct CodeUse {
    std::string code;  // upper-cased: WooCommerce lower-cases coupon codes, rewardd issues them upper
    std::string shop_id;
    std::string order_id;
    std::string event_id;
    Timestamp at = 0;
};

// The codes an order used, each with the earliest paid or completed event carrying it (ties by
// event id). An order only placed has not used its code: the platforms count a coupon's use once
// the order is paid, and a placed order that is never paid gives the code back. The same events
// in any order, repeats included, give the same uses.
std::vector<CodeUse> code_uses(const std::vector<Event>& order_events);

// The release of a code that expired unused at `expires_at` (effective then, so the entry is the
// same whenever it is written), once `now` has reached it. nullopt while the code is valid and when
// an order already used it: the commit stands. Errors: not_found.
Result<std::optional<LedgerEntry>> release_expired_redemption(const std::string& shop_id,
                                                              const std::string& redemption_id,
                                                              const std::vector<LedgerEntry>& existing,
                                                              Timestamp expires_at, Timestamp now);

// The most points one redemption may use now: available, floored to whole minor units, and
// capped by the cart share when a cart total is given. 0 when under the minimum.
std::int64_t max_redeemable_points(const Rules& rules, const std::string& currency,
                                   std::int64_t available_points,
                                   std::optional<std::int64_t> cart_total_minor = std::nullopt);

// Value of `points` in minor units (floor) and the points that value costs exactly.
std::int64_t redemption_value_minor(const Rules& rules, std::int64_t points, int exponent);
std::int64_t floor_to_whole_minor(const Rules& rules, std::int64_t points, int exponent);

}  // namespace rewardd
