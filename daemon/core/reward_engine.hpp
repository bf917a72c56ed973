// The reward engine's front door: pure functions from events (and the entries already written)
// to new ledger entries. No I/O, no clock: `now` is passed in.
#pragma once

#include <vector>

#include "event.hpp"
#include "ledger_entry.hpp"
#include "order_award.hpp"
#include "rules.hpp"

namespace rewardd {

class RewardEngine {
public:
    explicit RewardEngine(RuleBook rules) : m_rules(std::move(rules)) {}

    // All events known for one order (any arrival order, repeats allowed) and that order's
    // existing entries; returns the entries still to write.
    OrderOutcome apply_order(const std::vector<Event>& order_events,
                             const std::vector<LedgerEntry>& existing, Timestamp now) const;
    // The same with the customer's history from their other orders (tiers, first order).
    OrderOutcome apply_order(const std::vector<Event>& order_events, const std::vector<LedgerEntry>& existing,
                             const CustomerHistory& history, Timestamp now) const;

    // A manual adjustment: one entry keyed by the adjustment event.
    LedgerEntry adjustment_entry(const Event& event) const;

    const RuleBook& rules() const { return m_rules; }

private:
    RuleBook m_rules;
};

}  // namespace rewardd
