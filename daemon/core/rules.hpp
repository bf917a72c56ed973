// The program rules, versioned. A ledger entry records the version that produced it, and a refund
// reverses what that version earned, never what today's rules would earn.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "money.hpp"
#include "result.hpp"
#include "timestamp.hpp"

namespace rewardd {

// When earned points stop being pending.
enum class PendingMode { days_after_paid, on_completion };
const char* pending_mode_id(PendingMode mode);
std::optional<PendingMode> parse_pending_mode(std::string_view id);

// "points for every per_units whole currency units", e.g. {1, 1} = 1 point per 1.00.
struct EarnRate {
    std::int64_t points = 1;
    std::int64_t per_units = 1;
    bool operator==(const EarnRate&) const = default;
};

// Units used throughout the program rules, chosen so no rule needs a fraction:
// multipliers in percent (150 = x1.5), rates in basis points (500 = 5%), and amounts in
// thousandths of a currency unit ("milli": 200.00 = 200000), so one threshold serves every
// currency whatever its decimals (JPY 0, EUR 2, KWD 3).

// A tier reached by spend in the rolling window; the tier with the highest threshold met wins.
struct Tier {
    std::string name;
    std::int64_t threshold_milli = 0;
    std::int64_t multiplier_percent = 100;
    bool operator==(const Tier&) const = default;
};

// A time-boxed boost, in force for paid_at in [starts_at, ends_at) (UTC, half-open).
struct Campaign {
    std::string id;
    Timestamp starts_at = 0;
    Timestamp ends_at = 0;
    std::int64_t multiplier_percent = 100;  // on points; 100 = no boost
    std::int64_t cashback_bp = 0;           // cashback rate while it runs; 0 = none
    std::string category;                   // only lines in this category; empty = every line
    std::int64_t min_order_milli = 0;       // only orders whose base is at least this
    bool operator==(const Campaign&) const = default;
};

struct CashbackRules {
    std::int64_t rate_bp = 0;                        // 0 = off
    std::int64_t min_order_milli = 0;                // "on orders of at least 500"
    std::map<std::string, std::int64_t> category_bp;  // category-specific rates
    bool operator==(const CashbackRules&) const = default;
};

struct ReferralRules {
    std::int64_t referee_points = 0;   // welcome reward for the new customer; 0 = off
    std::int64_t referrer_points = 0;  // once the referee's first order is past its pending period
    bool operator==(const ReferralRules&) const = default;
};

struct ExpiryRules {
    std::int64_t inactive_days = 0;  // every point expires after N days without activity; 0 = off
    std::int64_t lifetime_days = 0;  // each lot expires N days after it became available; 0 = off
    bool operator==(const ExpiryRules&) const = default;
};

// What happens when points already spent are clawed back.
enum class NegativePolicy { carry, write_off };
const char* negative_policy_id(NegativePolicy policy);
std::optional<NegativePolicy> parse_negative_policy(std::string_view id);

// Whether the part of an order paid with an order-level discount (a rewards code or a coupon) earns.
enum class DiscountedPart { excluded, included };
const char* discounted_part_id(DiscountedPart part);
std::optional<DiscountedPart> parse_discounted_part(std::string_view id);

struct Rules {
    int version = 1;
    Timestamp effective_from = 0;

    EarnRate earn_rate;                            // default for every currency
    std::map<std::string, EarnRate> currency_rates;  // overrides, e.g. JPY: 1 per 100
    Rounding earn_rounding = Rounding::floor;      // applied once per order, before allocation

    PendingMode pending_mode = PendingMode::days_after_paid;
    std::int64_t pending_days = 14;

    std::int64_t redeem_points_per_unit = 100;     // N points = 1.00 of discount
    std::int64_t redeem_minimum_points = 500;
    std::int64_t redeem_cart_share_max_bp = 10000;  // most of a cart payable with points

    std::int64_t min_order_milli = 0;                         // base below this earns nothing
    DiscountedPart discounted_part = DiscountedPart::excluded;
    std::map<std::string, std::int64_t> product_multipliers;  // product id -> percent
    std::map<std::string, std::int64_t> category_multipliers;  // category -> percent
    std::vector<Tier> tiers;                                  // empty: no tiers
    std::int64_t tier_window_days = 365;
    std::vector<Campaign> campaigns;
    CashbackRules cashback;
    ReferralRules referral;
    ExpiryRules expiry;
    NegativePolicy negative_policy = NegativePolicy::carry;

    bool operator==(const Rules&) const = default;
};

const EarnRate& earn_rate_for(const Rules& rules, const std::string& currency);

// Milli-units of a currency as its minor units, rounded up (a threshold is never undercut), and back.
std::int64_t milli_to_minor(std::int64_t milli, int exponent);
std::int64_t minor_to_milli(std::int64_t minor, int exponent);

// Checks ranges; the error names the key at fault.
Result<bool> validate_rules(const Rules& rules);

// All versions, each in force from its effective_from until the next one's.
class RuleBook {
public:
    RuleBook() = default;
    explicit RuleBook(std::vector<Rules> versions);

    const Rules& at(Timestamp t) const;            // the version in force at t
    const Rules* version(int number) const;         // nullptr when unknown
    const Rules& latest() const;
    // Whether any version turns expiry on (else nothing ever expires and no walk is needed for it).
    bool expiry_on() const;
    const std::vector<Rules>& versions() const { return m_versions; }

private:
    std::vector<Rules> m_versions;  // sorted by effective_from, then version
};

}  // namespace rewardd
