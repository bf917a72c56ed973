// Tiers by spend in a rolling window. Spend is derived from the customer's own ledger (earnings
// add their base, claw-backs and reversals take their share back), so the applier only passes
// the customer's entries in: a `CustomerHistory`. Pure; no store, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "earning_plan.hpp"
#include "ledger_entry.hpp"
#include "rules.hpp"

namespace rewardd {

// A change of the customer's spend at an instant, in milli-units (thousandths of a currency unit).
struct SpendFact {
    Timestamp at = 0;
    std::int64_t milli = 0;
    std::string order_ref;  // "<shop>:order:<id>"
};

// The customer an order's referral code names, resolved by the caller from the customers it knows
// (codes are one-way: referral_code.hpp); the e-mail tells a self-referral under another key.
struct Referrer {
    std::string key;
    std::string email;
};

// What the per-order walk needs to know about the customer beyond the order itself.
struct CustomerHistory {
    std::vector<SpendFact> spend;  // from the customer's other orders
    bool referred = false;         // another order of theirs already carries their referral
    std::optional<Referrer> referrer;  // whom this order's referral code names; none when unknown
};

// Whether the customer's other orders include one paid (and earning) strictly before `t`.
bool paid_before(const CustomerHistory& history, Timestamp t);

struct TierChange {
    Timestamp at = 0;
    std::string from;
    std::string to;
    std::int64_t spend_milli = 0;
    std::int64_t threshold_milli = 0;  // of the tier reached (the one left, when going down)
    int rule_version = 0;
};

// Spend facts from ledger entries; entries of `exclude_order_ref` are left out.
std::vector<SpendFact> spend_from_entries(const std::vector<LedgerEntry>& entries,
                                          const std::string& exclude_order_ref = {});
// The history an order's walk needs: the customer's entries minus that order's own.
CustomerHistory history_for_order(const std::vector<LedgerEntry>& customer_entries,
                                  const std::string& order_ref);

// Spend counted at `t`: facts at `a` count for t in [a, a + window). `before` leaves out facts at t.
std::int64_t spend_in_window(const std::vector<SpendFact>& facts, Timestamp t, std::int64_t window_days,
                             bool before = false);
TierStatus tier_for_spend(const Rules& rules, std::int64_t spend_milli);
// The tier an order paid at `t` earns at: spend strictly before t.
TierStatus tier_before(const Rules& rules, const std::vector<SpendFact>& facts, Timestamp t);
// Every change of tier up to `until`, checked at each spend fact, each window exit and each rules
// version's start.
std::vector<TierChange> tier_timeline(const RuleBook& book, const std::vector<SpendFact>& facts,
                                      Timestamp until);
// The next instant after `now` at which the tier could change by time alone; 0 when none.
Timestamp next_tier_check(const RuleBook& book, const std::vector<SpendFact>& facts, Timestamp now);

}  // namespace rewardd
