// The customer's own walk, run after their orders' walks: tier changes, lots and expiry, and the
// negative-balance policy, from the customer's entries alone. Pure; `now` is passed in.
//
// Tier changes are `tier_change` entries (no points) keyed "tier:<customer>:<instant>", with the
// inputs that explain them: spend in the rolling window and the threshold crossed, in `rate`, and
// "<from> -> <to>" in `reason`. They are derived from the spend the ledger records (earnings add
// their base, claw-backs and reversals take it back), so a refund can move a customer down as
// surely as an order moves them up, and the window's end is an instant like any other.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "earning_plan.hpp"
#include "ledger_entry.hpp"
#include "lot_book.hpp"
#include "rules.hpp"

namespace rewardd {

struct CustomerOutcome {
    std::vector<LedgerEntry> new_entries;
    TierStatus tier;                          // at `now`
    std::vector<ExpiringPoints> expiring;     // "N points expire on D", soonest first
    std::optional<Timestamp> next_check_at;   // next expiry or tier-window exit after `now`
};

CustomerOutcome walk_customer(const RuleBook& rules, const std::string& customer,
                              const std::vector<LedgerEntry>& customer_entries, Timestamp now);

// The tier named by the latest recorded tier change ("none" without one): what read models show.
std::string recorded_tier(const std::vector<LedgerEntry>& customer_entries);
// The tier a tier change's reason ("silver -> gold") moves to ("none" when it names none).
std::string tier_change_target(std::string_view reason);

// "tier:<customer>:<instant>"
std::string tier_change_key(const std::string& customer, Timestamp at);

}  // namespace rewardd
