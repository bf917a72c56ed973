// `rewardd simulate`: the stored events replayed twice in private databases, once under the
// recorded rule versions and once with proposed rules in force from `from`, and the figures a
// shop owner weighs before changing a rate: points issued, cashback cost, liability, tier sizes,
// and the customers whose balance would move most. The real ledger is never written.
#pragma once

#include <SQLiteCpp/Database.h>

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "core/ledger_entry.hpp"
#include "core/result.hpp"
#include "core/rules.hpp"

namespace rewardd::books {

struct SimulationRequest {
    Rules proposed;
    Timestamp from = 0;  // proposed rules in force from then; figures count entries from then
    Timestamp to = std::numeric_limits<Timestamp>::max();  // events that occurred by then; 0: last applied
    std::size_t movers_max = 10;
};

struct SimulatedFigures {
    std::int64_t points_issued = 0;     // earned, referral and positive adjustments, in the window
    std::int64_t points_taken_back = 0; // claw-backs, reversals, expiries, in the window (positive number)
    std::map<std::string, std::int64_t> cashback_minor;  // due cashback by currency, in the window
    std::int64_t liability_points = 0;  // available + pending of everyone at the end
    std::map<std::string, std::int64_t> tier_sizes;      // customers per tier at the end ("none" = no tier)
};

struct Mover {
    std::string customer;
    std::int64_t current = 0;   // available + pending at the end, recorded rules
    std::int64_t proposed = 0;  // the same under the proposed rules
};

struct SimulationReport {
    SimulatedFigures current;
    SimulatedFigures proposed;
    std::vector<Mover> movers;  // largest absolute difference first
    Timestamp to = 0;
};

Result<SimulationReport> simulate(SQLite::Database& db, const RuleBook& recorded, const SimulationRequest& request);

// The figures of one ledger for entries effective in [from, to].
SimulatedFigures figures_of(const std::map<std::string, LedgerEntry>& ledger, Timestamp from, Timestamp to);

}  // namespace rewardd::books
