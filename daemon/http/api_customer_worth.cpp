// Tier by spend in the rolling window at `now` (tier_timeline.hpp); money rounded down for the
// customer's worth, and up for the spend needed (a threshold is never undercut).
#include "api_customer_worth.hpp"

#include <algorithm>

#include "core/money.hpp"
#include "core/tier_timeline.hpp"

namespace rewardd {
namespace {

std::optional<std::string> pick_currency(const std::vector<LedgerEntry>& entries, const std::string& asked) {
    if (!asked.empty()) return asked;
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        if (currency_exponent(it->currency)) return it->currency;
    }
    return std::nullopt;
}

}  // namespace

CustomerWorth customer_worth(const Rules& rules, const std::vector<LedgerEntry>& entries, std::int64_t available,
                             const std::string& currency, Timestamp now) {
    CustomerWorth worth;
    worth.currency = pick_currency(entries, currency);
    const std::optional<int> exponent = worth.currency ? currency_exponent(*worth.currency) : std::nullopt;
    if (exponent) {
        const __int128 points = std::max<std::int64_t>(0, available);
        worth.points_value_minor = divide_rounded(points * pow10(*exponent), rules.redeem_points_per_unit, Rounding::floor);
    }
    if (rules.tiers.empty()) return worth;
    const std::int64_t spend = spend_in_window(spend_from_entries(entries), now, rules.tier_window_days);
    const TierStatus held = tier_for_spend(rules, spend);
    worth.tier = held.name;
    const auto next = std::find_if(rules.tiers.begin(), rules.tiers.end(),
                                   [spend](const Tier& t) { return t.threshold_milli > spend; });
    if (next == rules.tiers.end()) return worth;
    worth.next_tier = NextTier{next->name, std::nullopt};
    if (exponent) worth.next_tier->spend_needed_minor = milli_to_minor(next->threshold_milli - spend, *exponent);
    return worth;
}

}  // namespace rewardd
