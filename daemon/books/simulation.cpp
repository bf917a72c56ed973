// Two replays with the same `now`, so the difference is the rules' alone.
#include "books/simulation.hpp"

#include <algorithm>
#include <cstdlib>

#include "books/ledger_replay.hpp"

namespace rewardd::books {
namespace {

bool issues_points(EntryKind kind) {
    return kind == EntryKind::earn_pending || kind == EntryKind::referral_reward || kind == EntryKind::adjust;
}
bool takes_back(EntryKind kind) {
    return kind == EntryKind::claw_back || kind == EntryKind::reverse || kind == EntryKind::expire ||
           kind == EntryKind::adjust || kind == EntryKind::negative_balance;
}

std::map<std::string, std::int64_t> balances(const std::map<std::string, LedgerEntry>& ledger) {
    std::map<std::string, std::int64_t> out;
    for (const auto& [_, e] : ledger) out[e.customer] += e.pending_delta + e.available_delta;
    return out;
}

RuleBook with_proposed(const RuleBook& recorded, Rules proposed, Timestamp from) {
    std::vector<Rules> versions;
    for (const auto& v : recorded.versions()) {
        if (v.effective_from < from) versions.push_back(v);  // the recorded rules up to `from`
    }
    proposed.version = recorded.versions().empty() ? 1 : recorded.latest().version + 1;
    proposed.effective_from = from;
    versions.push_back(std::move(proposed));
    return RuleBook(std::move(versions));
}

}  // namespace

SimulatedFigures figures_of(const std::map<std::string, LedgerEntry>& ledger, Timestamp from, Timestamp to) {
    SimulatedFigures f;
    std::map<std::string, std::pair<Timestamp, std::string>> tiers;
    for (const auto& [_, e] : ledger) {
        if (e.effective_at > to) continue;
        f.liability_points += e.pending_delta + e.available_delta;
        // "silver -> none": a customer who fell back out of the window counts as never tiered.
        auto& t = tiers.try_emplace(e.customer, Timestamp{0}, "none").first->second;
        if (e.kind == EntryKind::tier_change && e.effective_at >= t.first) {
            const auto arrow = e.reason.rfind(" -> ");
            t = {e.effective_at, arrow == std::string::npos ? "none" : e.reason.substr(arrow + 4)};
        }
        if (e.effective_at < from) continue;
        const std::int64_t delta = e.pending_delta + e.available_delta;
        if (issues_points(e.kind) && delta > 0) f.points_issued += delta;
        if (takes_back(e.kind) && delta < 0) f.points_taken_back -= delta;
        if (e.kind == EntryKind::cashback_due) f.cashback_minor[e.currency] += e.base_minor;
    }
    for (const auto& [_, t] : tiers) ++f.tier_sizes[t.second];
    return f;
}

Result<SimulationReport> simulate(SQLite::Database& db, const RuleBook& recorded, const SimulationRequest& request) {
    SimulationReport report;
    report.to = request.to;
    if (request.to == std::numeric_limits<Timestamp>::max()) {
        auto last = last_applied_at(db);
        if (!last) return last.error();
        report.to = *last;
    }
    ReplayOptions options{report.to, true, report.to};
    options.wait_for_fetches = false;
    auto current = replay_ledger(db, recorded, options);
    if (!current) return current.error();
    auto proposed = replay_ledger(db, with_proposed(recorded, request.proposed, request.from), options);
    if (!proposed) return proposed.error();
    report.current = figures_of(*current, request.from, report.to);
    report.proposed = figures_of(*proposed, request.from, report.to);
    const auto before = balances(*current);
    const auto after = balances(*proposed);
    for (const auto& [customer, now] : after) {
        const auto was = before.find(customer);
        const std::int64_t was_points = was == before.end() ? 0 : was->second;
        if (now != was_points) report.movers.push_back({customer, was_points, now});
    }
    for (const auto& [customer, was] : before) {
        if (was != 0 && !after.count(customer)) report.movers.push_back({customer, was, 0});
    }
    std::stable_sort(report.movers.begin(), report.movers.end(), [](const Mover& a, const Mover& b) {
        return std::llabs(a.proposed - a.current) > std::llabs(b.proposed - b.current);
    });
    if (report.movers.size() > request.movers_max) report.movers.resize(request.movers_max);
    return report;
}

}  // namespace rewardd::books
