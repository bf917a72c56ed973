// What one paid order earns under one rules version: the base, the multipliers per line (product
// or category, tier, campaign), the points rounded once and spread over lines, and the cashback.
// Pure arithmetic over integers; OrderAward turns the plan into ledger entries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "event.hpp"
#include "rules.hpp"

namespace rewardd {

// The customer's tier when the order was paid (computed from spend before this order).
struct TierStatus {
    std::string name = "none";
    std::int64_t multiplier_percent = 100;
    std::int64_t spend_milli = 0;      // spend in the window at `at`
    std::int64_t threshold_milli = 0;  // the threshold of the tier held
    bool operator==(const TierStatus&) const = default;
};

struct LinePlan {
    std::int64_t base_minor = 0;       // the line's share of the order base
    std::int64_t multiplier_ppm = 1000000;  // product of all multipliers, parts per million
    std::string multiplier_text;       // "" when x1, else e.g. " x3 (category shoes x1.5, campaign weekend x2)"
    std::int64_t points = 0;
    std::int64_t cashback_bp = 0;      // the rate that won for this line
    std::string cashback_source;       // "cashback", "category books", "campaign push"
};

struct EarningPlan {
    std::int64_t base_minor = 0;
    bool below_minimum = false;  // base under min_order: no points, no cashback
    std::int64_t points = 0;
    std::vector<LinePlan> lines;  // one per order line, same order
    std::int64_t cashback_minor = 0;
    std::string cashback_text;    // e.g. "5.00% of 600.00 NOK"
};

EarningPlan plan_earning(const Rules& rules, const Order& order, Timestamp paid_at, const TierStatus& tier);

// "1.5" for 150 percent, "2" for 200; "8.5%" for 850 basis points.
std::string format_percent_factor(std::int64_t percent);
std::string format_bp(std::int64_t bp);

// The campaigns in force at `t` (half-open intervals).
std::vector<const Campaign*> active_campaigns(const Rules& rules, Timestamp t);

}  // namespace rewardd
