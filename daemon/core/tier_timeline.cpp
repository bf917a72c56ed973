// Rolling-window spend and tier changes. Spend of an order line is its base; a claw-back takes
// back the same share of the base as of the points, a reversal takes back what is left; a tier
// settlement (":earn:<l>:settle") adds points to its line and no spend.
#include "tier_timeline.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

namespace rewardd {
namespace {

struct LineSpend {
    std::int64_t base_milli = 0;
    std::int64_t points = 0;
    std::int64_t taken_milli = 0;
};

constexpr std::string_view k_order_infix = ":order:";

std::string order_ref_of(const LedgerEntry& e) { return e.shop_id + std::string(k_order_infix) + e.order_id; }

// order_ref_of(e) == ref, without building the text for every entry of every walk.
bool has_order_ref(const LedgerEntry& e, std::string_view ref) {
    return ref.size() == e.shop_id.size() + k_order_infix.size() + e.order_id.size() && ref.starts_with(e.shop_id) &&
           ref.substr(e.shop_id.size(), k_order_infix.size()) == k_order_infix && ref.ends_with(e.order_id);
}

}  // namespace

std::vector<SpendFact> spend_from_entries(const std::vector<LedgerEntry>& entries,
                                          const std::string& exclude_order_ref) {
    std::vector<const LedgerEntry*> sorted;
    for (const auto& e : entries) {
        if (!e.order_id.empty() && !has_order_ref(e, exclude_order_ref)) sorted.push_back(&e);
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const LedgerEntry* a, const LedgerEntry* b) { return a->effective_at < b->effective_at; });
    // By earn key (views of the entries' keys); a reversal sums its order's lines in any order.
    std::unordered_map<std::string_view, LineSpend> lines;
    std::vector<SpendFact> facts;
    for (const LedgerEntry* e : sorted) {
        if (e->kind == EntryKind::earn_pending && e->key.ends_with(":settle")) {
            // A tier settlement changes the line's points, not its spend: later claw-backs take
            // their share of the base against the settled points.
            if (auto it = lines.find(e->refers_to); it != lines.end()) it->second.points += e->pending_delta;
        } else if (e->kind == EntryKind::earn_pending) {
            auto& l = lines[e->key];
            l.base_milli = minor_to_milli(e->base_minor, currency_exponent(e->currency).value_or(2));
            l.points = e->pending_delta + e->available_delta;  // a restore's re-earn can be available
            facts.push_back({e->effective_at, l.base_milli, order_ref_of(*e)});
        } else if (e->kind == EntryKind::claw_back) {
            auto it = lines.find(e->refers_to);
            if (it == lines.end() || it->second.points <= 0) continue;
            auto& l = it->second;
            const std::int64_t clawed = std::min(l.points, -(e->pending_delta + e->available_delta));
            const std::int64_t take = std::min(l.base_milli - l.taken_milli,
                                               scale_rounded(l.base_milli, clawed, l.points, Rounding::floor));
            l.taken_milli += take;
            if (take > 0) facts.push_back({e->effective_at, -take, order_ref_of(*e)});
        } else if (e->kind == EntryKind::reverse) {
            std::int64_t left = 0;
            const std::string ref = order_ref_of(*e);
            const std::string prefix = ref + ":earn:";
            for (auto& [key, l] : lines) {
                if (!key.starts_with(prefix)) continue;
                left += l.base_milli - l.taken_milli;
                l.taken_milli = l.base_milli;
            }
            if (left > 0) facts.push_back({e->effective_at, -left, ref});
        }
    }
    return facts;
}

CustomerHistory history_for_order(const std::vector<LedgerEntry>& customer_entries, const std::string& order_ref) {
    CustomerHistory h;
    h.spend = spend_from_entries(customer_entries, order_ref);
    h.referred = std::any_of(customer_entries.begin(), customer_entries.end(), [&](const LedgerEntry& e) {
        return e.kind == EntryKind::referral_reward && e.key.ends_with(":welcome") && !has_order_ref(e, order_ref);
    });
    return h;
}

bool paid_before(const CustomerHistory& history, Timestamp t) {
    return std::any_of(history.spend.begin(), history.spend.end(),
                       [&](const SpendFact& f) { return f.milli > 0 && f.at < t; });
}

std::int64_t spend_in_window(const std::vector<SpendFact>& facts, Timestamp t, std::int64_t window_days, bool before) {
    const Timestamp window = window_days * k_seconds_per_day;
    std::int64_t sum = 0;
    for (const auto& f : facts) {
        const bool started = before ? f.at < t : f.at <= t;
        if (started && t < f.at + window) sum += f.milli;
    }
    return std::max<std::int64_t>(0, sum);
}

TierStatus tier_for_spend(const Rules& rules, std::int64_t spend_milli) {
    TierStatus status;
    status.spend_milli = spend_milli;
    for (const auto& tier : rules.tiers) {
        if (spend_milli < tier.threshold_milli) break;
        status.name = tier.name;
        status.multiplier_percent = tier.multiplier_percent;
        status.threshold_milli = tier.threshold_milli;
    }
    return status;
}

TierStatus tier_before(const Rules& rules, const std::vector<SpendFact>& facts, Timestamp t) {
    if (rules.tiers.empty()) return {};
    return tier_for_spend(rules, spend_in_window(facts, t, rules.tier_window_days, true));
}

namespace {

// Spend in a window at many instants: the facts by time with running sums, so each instant is two
// binary searches instead of a pass over every fact (the timeline checks about three instants per
// fact, on every walk of the customer). Sums are the same integers spend_in_window adds.
class SpendSums {
public:
    explicit SpendSums(const std::vector<SpendFact>& facts) {
        std::vector<std::pair<Timestamp, std::int64_t>> sorted;
        sorted.reserve(facts.size());
        for (const auto& f : facts) sorted.emplace_back(f.at, f.milli);
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        m_at.reserve(sorted.size());
        m_running.reserve(sorted.size() + 1);
        m_running.push_back(0);
        for (const auto& [at, milli] : sorted) {
            m_at.push_back(at);
            m_running.push_back(m_running.back() + milli);
        }
    }

    // spend_in_window(facts, t, window_days): facts at `a` with a <= t < a + window.
    std::int64_t in_window(Timestamp t, std::int64_t window_days) const {
        const Timestamp window = window_days * k_seconds_per_day;
        const std::int64_t sum = through(t) - through(t - window);
        return std::max<std::int64_t>(0, sum);
    }

private:
    // The sum of the facts at or before t.
    std::int64_t through(Timestamp t) const {
        const auto n = std::upper_bound(m_at.begin(), m_at.end(), t) - m_at.begin();
        return m_running[static_cast<std::size_t>(n)];
    }

    std::vector<Timestamp> m_at;
    std::vector<std::int64_t> m_running;
};

}  // namespace

std::vector<TierChange> tier_timeline(const RuleBook& book, const std::vector<SpendFact>& facts, Timestamp until) {
    std::set<Timestamp> instants;
    for (const auto& f : facts) {
        instants.insert(f.at);
        for (const auto& r : book.versions()) instants.insert(f.at + r.tier_window_days * k_seconds_per_day);
    }
    for (const auto& r : book.versions()) instants.insert(r.effective_from);
    const Timestamp first = facts.empty() ? until + 1 : std::min_element(facts.begin(), facts.end(),
        [](const SpendFact& a, const SpendFact& b) { return a.at < b.at; })->at;
    const SpendSums sums(facts);
    std::vector<TierChange> changes;
    std::string current = "none";
    std::int64_t current_threshold = 0;
    for (const Timestamp t : instants) {
        if (t > until) break;
        if (t < first) continue;  // no tier is recorded before the first spend
        const Rules& rules = book.at(t);
        const std::int64_t spend = sums.in_window(t, rules.tier_window_days);
        const TierStatus status = rules.tiers.empty() ? TierStatus{} : tier_for_spend(rules, spend);
        if (status.name != current) {
            const bool up = status.threshold_milli >= current_threshold;
            changes.push_back({t, current, status.name, spend, up ? status.threshold_milli : current_threshold,
                               rules.version});
            current = status.name;
            current_threshold = status.threshold_milli;
        }
    }
    return changes;
}

Timestamp next_tier_check(const RuleBook& book, const std::vector<SpendFact>& facts, Timestamp now) {
    Timestamp next = 0;
    auto consider = [&](Timestamp t) {
        if (t > now && (next == 0 || t < next)) next = t;
    };
    for (const auto& f : facts) {
        for (const auto& r : book.versions()) {
            if (!r.tiers.empty()) consider(f.at + r.tier_window_days * k_seconds_per_day);
        }
    }
    for (const auto& r : book.versions()) consider(r.effective_from);
    return next;
}

}  // namespace rewardd
