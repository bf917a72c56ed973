// What the storefront shows beside a balance: the tier held now, the next tier and the spend it
// still needs, and what the available points are worth at the redemption rate. Pure: computed
// from the rules, the customer's entries and `now` with the engine's own tier functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ledger_entry.hpp"
#include "core/rules.hpp"

namespace rewardd {

struct NextTier {
    std::string name;
    std::optional<std::int64_t> spend_needed_minor;  // nullopt when no currency is known
};

struct CustomerWorth {
    std::string tier = "none";
    std::optional<NextTier> next_tier;                // nullopt at the top, or without tiers
    std::optional<std::string> currency;              // the one asked for, else of the newest entry
    std::optional<std::int64_t> points_value_minor;   // floor(available / redeem_points_per_unit)
};

// `currency`: the shop's currency when the caller knows it ("" = take the newest entry's).
CustomerWorth customer_worth(const Rules& rules, const std::vector<LedgerEntry>& entries, std::int64_t available,
                             const std::string& currency, Timestamp now);

}  // namespace rewardd
