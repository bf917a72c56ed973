// The per-order walk. Keys: "<shop>:order:<id>:earn:<line>", ":release", ":refund:<rid>:line:<l>",
// ":line:<l>:settle" (rounding rest of a fully refunded line), ":reverse" (cancel or full refund),
// ":earn:<l>:settle" (the line's earning under the tier known at release, when it changed);
// after the n-th restore: ":earn:<l>:restore:<n>" (re-earn) and ":restore:<n>:reverse".
#include "order_award.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <tuple>

#include "allocation.hpp"
#include "earning_plan.hpp"
#include "customer_key.hpp"

namespace rewardd {
namespace {

int business_rank(EventType type) {
    switch (type) {
        case EventType::order_placed: return 0;
        case EventType::order_paid: return 1;
        case EventType::order_completed: return 2;
        case EventType::order_refunded: return 3;
        case EventType::order_cancelled: return 4;
        case EventType::order_restored: return 5;
        default: return 6;
    }
}

std::string rate_text(const EarnRate& rate, const std::string& currency, int exponent) {
    return std::to_string(rate.points) + " per " + format_minor(rate.per_units * pow10(exponent), exponent) +
           " " + currency;
}

}  // namespace

OrderAward::OrderAward(const RuleBook& rules, const std::vector<LedgerEntry>& existing,
                       const CustomerHistory* history)
    : m_rules(rules), m_history(history) {
    for (const auto& e : existing) m_existing.emplace(e.key, e);
}

OrderOutcome OrderAward::run(const std::vector<Event>& events, Timestamp now) {
    learn_order_facts(events);
    // A cancellation ends the order's award, so it is walked after every refund the order has,
    // whatever their timestamps: a platform's cancellation snapshot lists refunds made after its
    // own cancelled_at, and the result must not depend on which delivery came first. A restore
    // starts the award again, so only refunds before the restore that follows count here.
    std::vector<Timestamp>& restores = m_restore_times;
    std::vector<Timestamp> refunds;
    for (const auto& e : events) {
        if (e.type == EventType::order_restored) restores.push_back(e.occurred_at);
        if (e.type == EventType::order_refunded) refunds.push_back(e.occurred_at);
    }
    const auto last_refund_before = [&](Timestamp bound) {
        Timestamp last = 0;
        for (const Timestamp r : refunds) {
            if (r < bound) last = std::max(last, r);
        }
        return last;
    };
    const auto walk_time = [&](const Event& e) {
        if (e.type != EventType::order_cancelled) return e.occurred_at;
        Timestamp next_restore = std::numeric_limits<Timestamp>::max();
        for (const Timestamp r : restores) {
            if (r >= e.occurred_at) next_restore = std::min(next_restore, r);
        }
        return std::max(e.occurred_at, last_refund_before(next_restore));
    };
    // The walk sorts pointers to the caller's events: sorting a copy of them copied every order's
    // lines and refunds once more on each apply.
    std::vector<const Event*> walk;
    walk.reserve(events.size());
    for (const auto& e : events) walk.push_back(&e);
    std::stable_sort(walk.begin(), walk.end(), [&](const Event* a, const Event* b) {
        const Timestamp at_a = walk_time(*a), at_b = walk_time(*b);
        const auto rank_a = business_rank(a->type), rank_b = business_rank(b->type);
        return std::tie(at_a, rank_a, a->id) < std::tie(at_b, rank_b, b->id);
    });
    // A cancellation walked later than it happened still happened first: the events walked before
    // it (refunds made after it) must not release the points it voided (see release_if_due).
    std::vector<Timestamp> cancel_ahead(walk.size() + 1, std::numeric_limits<Timestamp>::max());
    for (std::size_t i = walk.size(); i-- > 0;) {
        cancel_ahead[i] = walk[i]->type == EventType::order_cancelled
                              ? std::min(cancel_ahead[i + 1], walk[i]->occurred_at)
                              : cancel_ahead[i + 1];
    }
    for (std::size_t i = 0; i < walk.size(); ++i) {
        const Event* event = walk[i];
        if (!is_order_event(event->type)) continue;
        release_if_due(event->occurred_at, cancel_ahead[i]);
        handle(*event);
        settle();
    }
    release_if_due(now);
    if (!m_released && !m_voided && (m_pending > 0 || m_cashback_held > 0 || m_referral.held())) {
        m_outcome.next_release_at = release_at();
    }
    return std::move(m_outcome);
}

void OrderAward::learn_order_facts(const std::vector<Event>& events) {
    for (const auto& e : events) {
        if (!e.order) continue;  // a refunds/create stub names no buyer's total and no lines: it adds nothing
        if (e.order->presentment && !m_presentment) m_presentment = e.order->presentment;
        m_non_earning_lines.insert(e.order->non_earning_lines.begin(), e.order->non_earning_lines.end());
    }
}

void OrderAward::handle(const Event& event) {
    if (m_shop_id.empty()) {
        m_shop_id = event.shop_id;
        if (event.order) m_order_id = event.order->id;
    }
    switch (event.type) {
        case EventType::order_paid:
            if (!m_paid_at) earn(event);
            break;
        case EventType::order_completed:
            if (!m_completed_at) m_completed_at = event.occurred_at;
            break;
        case EventType::order_refunded:
            if (event.refund) {
                const bool seen = std::any_of(m_refunds.begin(), m_refunds.end(), [&](const auto& r) {
                    return r.refund.id == event.refund->id;
                });
                if (!seen) {
                    PendingRefund pending{*event.refund, event.occurred_at, event.id, false};
                    pending.currency = !event.refund->currency.empty() ? event.refund->currency
                                       : event.order                   ? event.order->currency
                                                                       : std::string{};
                    m_refunds.push_back(std::move(pending));
                }
            }
            break;
        case EventType::order_cancelled:
            // Cancelling an order that never earned changes nothing: if it is paid later, it earns.
            if (m_paid_at && !m_cancel) m_cancel = std::make_pair(event.occurred_at, event.id);
            break;
        case EventType::order_restored:
            // Only what a cancellation took comes back: a restore of an order that is not
            // cancelled (or was fully refunded) changes nothing.
            if (m_voided && m_voided_by_cancel) restore(event);
            break;
        default:
            break;
    }
}

void OrderAward::settle() {
    if (!m_paid_at) return;
    for (auto& refund : m_refunds) {
        if (!refund.applied) apply_refund(refund);
    }
    if (m_cancel && !m_voided) {
        reverse(m_cancel->first, life_key("reverse"), m_cancel->second, "order cancelled");
        m_voided_by_cancel = true;
    }
}

// "reverse" before any restore (the key every existing ledger has), "restore:<n>:reverse" after
// the n-th, so each cancellation that follows a restore reverses once.
std::string OrderAward::life_key(const std::string& suffix) const {
    return m_restores == 0 ? suffix : "restore:" + std::to_string(m_restores) + ":" + suffix;
}

// The award comes back as it stood when cancelled: each line's points not refunded, in the bucket
// they were in (available if the order had been released, else pending until its release date,
// which is never before the restore). Keyed by the restore's ordinal, so a repeated restore
// delivery adds nothing and a cancellation after it reverses again.
void OrderAward::restore(const Event& event) {
    ++m_restores;
    m_restored_at = event.occurred_at;
    m_voided = false;
    m_voided_by_cancel = false;
    m_cancel.reset();
    if (m_customer.empty()) return;
    const std::string suffix = ":restore:" + std::to_string(m_restores);
    for (auto& line : m_lines) {
        const std::int64_t held = line.points - line.clawed;
        if (line.points <= 0 || held <= 0) continue;
        LedgerEntry e = base_entry(EntryKind::earn_pending, "earn:" + line.id + suffix, event.occurred_at, event.id);
        (m_released ? e.available_delta : e.pending_delta) = held;
        e.line_id = line.id;
        e.base_minor = scale_rounded(line.base_minor, held, line.points, Rounding::floor);
        e.rate = std::to_string(held) + "/" + std::to_string(line.points) + " of the line's points";
        e.refers_to = line.earn_key;
        e.reason = "order restored: its points count again";
        line.earn_key = commit(e).key;
    }
}

void OrderAward::earn(const Event& event) {
    m_paid_at = event.occurred_at;
    if (!event.order) return;
    m_order = event.order;
    m_customer = customer_key(event.shop_id, event.order->customer);
    m_earn_rules = &m_rules.at(event.occurred_at);
    if (m_customer.empty()) return;  // an order with neither e-mail nor customer id cannot earn

    const Order& order = *m_order;
    const TierStatus tier = m_history ? tier_before(*m_earn_rules, m_history->spend, event.occurred_at) : TierStatus{};
    const EarningPlan plan = plan_earning(*m_earn_rules, order, event.occurred_at, tier);
    const auto [recorded_tier, recorded] = recorded_earning(event, plan, tier);
    m_tier_now = tier.name;
    m_tier_recorded = recorded_tier.name;

    for (std::size_t i = 0; i < order.lines.size(); ++i) {
        const LinePlan& lp = recorded.lines[i];
        LineState state{order.lines[i].id, std::max<std::int64_t>(0, order.lines[i].total_minor), 0, 0, 0};
        state.base_minor = lp.base_minor;
        state.should_points = plan.lines[i].points;
        state.should_rate = line_rate(plan.lines[i]);
        if (lp.points > 0) {
            const LedgerEntry& e = commit(earn_entry(event, i, lp));
            state.points = e.pending_delta;
            state.earn_key = e.key;
        }
        m_lines.push_back(state);
    }
    earn_cashback(plan, event);
    if (m_history) {
        m_referral.on_paid(*m_earn_rules, {m_shop_id, &order, m_customer, event.occurred_at, event.id,
                                           m_earn_rules->version}, *m_history);
    }
}

LedgerEntry OrderAward::earn_entry(const Event& event, std::size_t line, const LinePlan& plan) const {
    const std::string& line_id = m_order->lines[line].id;
    LedgerEntry e = base_entry(EntryKind::earn_pending, "earn:" + line_id, event.occurred_at, event.id);
    e.pending_delta = plan.points;
    e.line_id = line_id;
    e.base_minor = plan.base_minor;
    e.rate = line_rate(plan);
    e.rounding = m_earn_rules->earn_rounding;
    return e;
}

std::string OrderAward::line_rate(const LinePlan& plan) const {
    const int exponent = currency_exponent(m_order->currency).value_or(2);
    return rate_text(earn_rate_for(*m_earn_rules, m_order->currency), m_order->currency, exponent) +
           plan.multiplier_text;
}

// The tier the order's earnings were written under and their plan. When the spend before payment
// has changed since, the recorded entries match another tier's plan exactly: they stay (frozen),
// and settle_tier_change makes up the difference at release. Entries matching no tier's plan are
// a genuine difference, which commit reports.
std::pair<TierStatus, EarningPlan> OrderAward::recorded_earning(const Event& event, const EarningPlan& now_plan,
                                                                const TierStatus& now) const {
    const bool any_recorded = std::any_of(m_order->lines.begin(), m_order->lines.end(), [&](const OrderLine& l) {
        return m_existing.count(own_key("earn:" + l.id)) > 0;
    });
    if (!m_history || !any_recorded || plan_recorded(event, now_plan)) return {now, now_plan};
    // The rules' tiers before "none": a x1 tier earns as no tier does, and names it better.
    std::vector<TierStatus> candidates;
    for (const Tier& t : m_earn_rules->tiers) {
        TierStatus status;
        status.name = t.name;
        status.multiplier_percent = t.multiplier_percent;
        candidates.push_back(status);
    }
    candidates.push_back(TierStatus{});
    for (const TierStatus& candidate : candidates) {
        if (candidate.name == now.name) continue;
        EarningPlan plan = plan_earning(*m_earn_rules, *m_order, event.occurred_at, candidate);
        if (plan_recorded(event, plan)) return {candidate, std::move(plan)};
    }
    return {now, now_plan};
}

bool OrderAward::plan_recorded(const Event& event, const EarningPlan& plan) const {
    for (std::size_t i = 0; i < plan.lines.size(); ++i) {
        const auto it = m_existing.find(own_key("earn:" + m_order->lines[i].id));
        if (plan.lines[i].points <= 0) {
            if (it != m_existing.end()) return false;
        } else if (it == m_existing.end() || !(it->second == earn_entry(event, i, plan.lines[i]))) {
            return false;
        }
    }
    return true;
}

// At release, each line is brought to what it earns under the tier the ledger knows now, less the
// claw-backs that tier's points would have had: one pending entry, released with the rest. Only a
// first release writes it (later walks re-derive it); a difference found after the release was
// recorded came too late to settle and is reported on the earning.
void OrderAward::settle_tier_change(Timestamp due) {
    const bool released_before = release_recorded();
    for (auto& line : m_lines) {
        if (line.earn_key.empty()) continue;
        LedgerEntry e = base_entry(EntryKind::earn_pending, "earn:" + line.id + ":settle", due, "");
        const bool recorded = m_existing.count(e.key) > 0;
        if (m_tier_recorded == m_tier_now && !recorded) continue;
        const std::int64_t should_clawed = clawed_from(line, line.should_points);
        const std::int64_t delta = (line.should_points - should_clawed) - (line.points - line.clawed);
        if (delta == 0 && !recorded) continue;
        if (released_before && !recorded) {
            m_outcome.conflicts.push_back(line.earn_key);
            continue;
        }
        e.pending_delta = delta;
        e.line_id = line.id;
        e.base_minor = line.base_minor;
        e.rate = line.should_rate;
        e.rounding = m_earn_rules->earn_rounding;
        e.refers_to = line.earn_key;
        e.reason = "tier " + m_tier_recorded + " -> " + m_tier_now +
                   ": an earlier order, refund or cancellation arrived late";
        const std::int64_t settled = commit(e).pending_delta;
        if (settled == delta) {
            line.points = line.should_points;
            line.clawed = should_clawed;
        } else {
            line.points += settled;
        }
    }
}

// What the line's claw-backs so far take from `points`: each refund its own share, all of a line
// refunded in full.
std::int64_t OrderAward::clawed_from(const LineState& line, std::int64_t points) {
    if (line.settled) return points;
    std::int64_t clawed = 0;
    for (const std::int64_t refunded : line.refunded_shares) {
        clawed += scale_rounded(points, refunded, line.total_minor, Rounding::floor);
    }
    return clawed;
}

void OrderAward::earn_cashback(const EarningPlan& plan, const Event& event) {
    if (plan.cashback_minor <= 0) return;
    LedgerEntry e = base_entry(EntryKind::cashback, "cashback", event.occurred_at, event.id);
    e.base_minor = plan.cashback_minor;
    e.rate = plan.cashback_text;
    e.reason = "cashback awaiting the pending period";
    m_cashback_held = commit(e).base_minor;
}

void OrderAward::reverse_cashback(Timestamp at, const std::string& event_id, const std::string& reason) {
    if (m_cashback_held <= 0) return;
    LedgerEntry e = base_entry(EntryKind::cashback_reverse, "cashback:reverse", at, event_id);
    e.base_minor = m_cashback_held;
    e.refers_to = own_key("cashback");
    e.reason = reason;
    commit(e);
    m_cashback_held = 0;
}

void OrderAward::apply_refund(PendingRefund& refund) {
    refund.applied = true;
    if (m_voided || m_customer.empty()) return;
    // Arrived after the award was gone (a restore starts it again: refunds after it count).
    if (m_restores == 0 && reversal_recorded() && !refund_recorded(refund.refund.id)) return;
    if (!weigh_refund(refund)) {
        m_outcome.unweighed_refunds.push_back(refund.refund.id);
        keep_recorded_claw_backs(refund.refund.id);
        return;
    }
    m_refunded_total_minor += refund.amount_minor;
    if (!refund.weighed.empty()) m_refunded_presentment_minor += refund.refund.amount_minor;
    claw_back_lines(refund);
    settle_refunded_lines(refund);
    // Refunds weighed in the buyer's currency are rounded down one by one, so their sum is also
    // checked as given: all of the buyer's total refunded is a full refund.
    const bool all_shop_money = m_order->total_minor > 0 && m_refunded_total_minor >= m_order->total_minor;
    const bool all_buyer_money = m_presentment && m_presentment->total_minor > 0 &&
                                 m_refunded_presentment_minor >= m_presentment->total_minor;
    if (all_shop_money || all_buyer_money) {
        reverse(refund.at, life_key("reverse"), refund.event_id, "order fully refunded");
    }
}

bool OrderAward::weigh_refund(PendingRefund& refund) const {
    const Refund& r = refund.refund;
    if (refund.currency.empty() || refund.currency == m_order->currency) {
        refund.amount_minor = r.amount_minor;
        return true;
    }
    if (m_presentment && m_presentment->currency == refund.currency && m_presentment->total_minor > 0) {
        // At the order's own rate (its total in both currencies), rounded down: the buyer's refund
        // never takes back more than its share.
        refund.amount_minor =
            scale_rounded(r.amount_minor, m_order->total_minor, m_presentment->total_minor, Rounding::floor);
        refund.weighed = std::to_string(r.amount_minor) + " " + refund.currency + " at the order's " +
                         std::to_string(m_presentment->total_minor) + " " + refund.currency + " = " +
                         std::to_string(m_order->total_minor) + " " + m_order->currency;
        return true;
    }
    if (r.lines.empty()) return false;
    // Lines are in the order's currency: they alone say what was refunded.
    refund.amount_minor = 0;
    for (const auto& line : r.lines) refund.amount_minor += std::abs(line.total_minor);
    return true;
}

bool OrderAward::reversal_recorded() const {
    return m_existing.count(own_key("reverse")) > 0;
}

bool OrderAward::release_recorded() const {
    return m_existing.count(own_key("release")) > 0 || m_existing.count(own_key("cashback:due")) > 0;
}

// A refund this walk cannot weigh may have been taken back by an earlier rewardd (which read its
// amount as the order's money): those entries stand as written, and the release and any later
// refund of their lines must see them, or the order would release points already taken back.
void OrderAward::keep_recorded_claw_backs(const std::string& refund_id) {
    const std::string prefix = own_key("refund:" + refund_id + ":");
    for (auto it = m_existing.lower_bound(prefix);
         it != m_existing.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
        if (!absorb_recorded(it->first, it->second)) continue;
        for (auto& line : m_lines) {
            if (line.id == it->second.line_id) line.clawed += -(it->second.pending_delta + it->second.available_delta);
        }
    }
}

bool OrderAward::refund_recorded(const std::string& refund_id) const {
    const std::string prefix = own_key("refund:" + refund_id + ":");
    const auto it = m_existing.lower_bound(prefix);
    return it != m_existing.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

std::vector<std::int64_t> OrderAward::refunded_per_line(const PendingRefund& pending) const {
    const Refund& refund = pending.refund;
    std::vector<std::int64_t> amounts(m_lines.size(), 0);
    // Shipping and fees given back earned nothing: an amount-only refund weighs only what is left
    // beside them (taken off one at a time, so no difference leaves the int64 range).
    std::int64_t unassigned = 0;
    if (refund.lines.empty()) {
        unassigned = std::max<std::int64_t>(0, pending.amount_minor - refund.shipping_minor);
        unassigned = std::max<std::int64_t>(0, unassigned - refund.fees_minor);
    }
    for (const auto& rl : refund.lines) {
        auto it = std::find_if(m_lines.begin(), m_lines.end(), [&](const auto& l) { return l.id == rl.line_id; });
        if (it == m_lines.end()) {
            // A gift card bought earned nothing, so its refund takes nothing from the other lines.
            if (m_non_earning_lines.count(rl.line_id)) continue;
            unassigned += std::abs(rl.total_minor);
        } else {
            amounts[static_cast<std::size_t>(it - m_lines.begin())] += std::abs(rl.total_minor);
        }
    }
    if (unassigned > 0) {
        // An amount-only refund (or lines we do not know) takes the refunded amount's share of
        // the order total from every line, in proportion to the lines' totals.
        std::vector<std::int64_t> weights;
        std::int64_t lines_sum = 0;
        for (const auto& l : m_lines) {
            weights.push_back(l.total_minor);
            lines_sum += l.total_minor;
        }
        const std::int64_t goods = m_order->total_minor > 0
                                       ? scale_rounded(unassigned, lines_sum, m_order->total_minor, Rounding::floor)
                                       : unassigned;
        const auto shares = allocate_largest_remainder(std::min(goods, lines_sum), weights);
        for (std::size_t i = 0; i < m_lines.size(); ++i) amounts[i] += shares[i];
    }
    return amounts;
}

void OrderAward::claw_back_lines(const PendingRefund& refund) {
    const auto amounts = refunded_per_line(refund);
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        auto& line = m_lines[i];
        line.refunded_minor += amounts[i];
        if (line.points <= 0 || line.total_minor <= 0 || line.settled) continue;
        // Each refund's share depends only on its own amount, never on other refunds, so the
        // entries come out the same whatever order refunds arrive in. Rounding leftovers are
        // settled once the line is fully refunded (settle_refunded_lines).
        const std::int64_t refunded = std::min(amounts[i], line.total_minor);
        line.refunded_shares.push_back(refunded);
        const std::int64_t share = scale_rounded(line.points, refunded, line.total_minor, Rounding::floor);
        if (share <= 0) continue;
        LedgerEntry e = base_entry(EntryKind::claw_back, "refund:" + refund.refund.id + ":line:" + line.id,
                                   refund.at, refund.event_id);
        (m_released ? e.available_delta : e.pending_delta) = -share;
        e.line_id = line.id;
        e.base_minor = refunded;
        e.rate = std::to_string(refunded) + "/" + std::to_string(line.total_minor);
        e.refers_to = line.earn_key;
        e.reason = "refund " + refund.refund.id + (refund.weighed.empty() ? "" : " (" + refund.weighed + ")");
        const LedgerEntry& actual = commit(e);
        line.clawed += -(actual.pending_delta + actual.available_delta);
    }
}

void OrderAward::settle_refunded_lines(const PendingRefund& refund) {
    for (auto& line : m_lines) {
        if (line.settled || line.points <= 0 || line.refunded_minor < line.total_minor) continue;
        line.settled = true;
        const std::int64_t rest = line.points - line.clawed;
        if (rest == 0) continue;
        LedgerEntry e = base_entry(EntryKind::claw_back, "line:" + line.id + ":settle", refund.at, refund.event_id);
        (m_released ? e.available_delta : e.pending_delta) = -rest;
        e.line_id = line.id;
        e.base_minor = line.total_minor;
        e.rate = "rest of line";
        e.refers_to = line.earn_key;
        e.reason = "line fully refunded: rounding rest";
        const LedgerEntry& actual = commit(e);
        line.clawed += -(actual.pending_delta + actual.available_delta);
    }
}

void OrderAward::reverse(Timestamp at, const std::string& key_suffix, const std::string& event_id,
                         const std::string& reason) {
    m_voided = true;
    if (!m_released) {
        reverse_cashback(at, event_id, reason);
        m_referral.on_void(at, event_id, reason);
    }
    LedgerEntry e = base_entry(EntryKind::reverse, key_suffix, at, event_id);
    absorb_unvisited_entries(e.key, at);
    if (m_pending == 0 && m_available == 0) return;
    e.pending_delta = -m_pending;
    e.available_delta = -m_available;
    e.refers_to = m_shop_id + ":order:" + m_order_id;
    e.reason = reason;
    commit(e);
}

std::optional<Timestamp> OrderAward::release_at() const {
    if (!m_paid_at || !m_earn_rules) return std::nullopt;
    if (m_earn_rules->pending_mode == PendingMode::days_after_paid) {
        return std::max(*m_paid_at + m_earn_rules->pending_days * k_seconds_per_day, m_restored_at);
    }
    if (!m_completed_at) return std::nullopt;
    return std::max({*m_paid_at, *m_completed_at, m_restored_at});
}

void OrderAward::release_if_due(Timestamp t, Timestamp cancelled_at) {
    if (m_released || m_voided || !m_paid_at) return;
    const auto due = release_at();
    if (!due || *due > t) return;
    // A cancellation before the due time voids the points, unless the ledger recorded the release
    // already (the cancellation came after it: it takes back what was released, as one after
    // release does).
    if (*due > cancelled_at && !release_recorded()) return;
    settle_tier_change(*due);
    m_released = true;
    m_referral.on_release(*due);
    if (m_cashback_held > 0) {
        LedgerEntry c = base_entry(EntryKind::cashback_due, "cashback:due", *due, "");
        c.base_minor = m_cashback_held;
        c.refers_to = own_key("cashback");
        c.reason = "pending period over: awaiting issue as a code or store credit";
        commit(c);
    }
    if (m_pending <= 0) return;
    LedgerEntry e = base_entry(EntryKind::release, "release", *due, "");
    e.pending_delta = -m_pending;
    e.available_delta = m_pending;
    e.reason = m_earn_rules->pending_mode == PendingMode::days_after_paid
                   ? std::to_string(m_earn_rules->pending_days) + " days after paid"
                   : "order completed";
    commit(e);
}

std::string OrderAward::own_key(const std::string& suffix) const {
    return m_shop_id + ":order:" + m_order_id + ":" + suffix;
}

LedgerEntry OrderAward::base_entry(EntryKind kind, const std::string& key_suffix, Timestamp at,
                                   const std::string& event_id) const {
    LedgerEntry e;
    e.key = own_key(key_suffix);
    e.customer = m_customer;
    e.shop_id = m_shop_id;
    e.order_id = m_order_id;
    e.kind = kind;
    e.rule_version = m_earn_rules ? m_earn_rules->version : 0;
    e.currency = m_order ? m_order->currency : "";
    e.event_id = event_id;
    e.effective_at = at;
    return e;
}

// Entries written when a fact arrived that, in business time, comes after the void (a refund
// delivered before the cancellation that precedes it) are frozen: the walk never re-derives them,
// so the reversal counts them in and the order still nets to exactly zero.
// Referral entries share the order id but not its points: they are the referral's own.
// Entries after the next restore belong to the award that restore starts, not to this one.
void OrderAward::absorb_unvisited_entries(const std::string& reversal_key, Timestamp at) {
    Timestamp next_restore = std::numeric_limits<Timestamp>::max();
    for (const Timestamp r : m_restore_times) {
        if (r >= at) next_restore = std::min(next_restore, r);
    }
    const std::string own = own_key("");
    for (const auto& [key, entry] : m_existing) {
        if (key == reversal_key || key.compare(0, own.size(), own) != 0 || entry.effective_at >= next_restore) continue;
        absorb_recorded(key, entry);
    }
}

bool OrderAward::absorb_recorded(const std::string& key, const LedgerEntry& entry) {
    if (!m_visited.insert(key).second) return false;
    m_pending += entry.pending_delta;
    m_available += entry.available_delta;
    return true;
}

const LedgerEntry& OrderAward::commit(const LedgerEntry& candidate) {
    const auto it = m_existing.find(candidate.key);
    if (it != m_existing.end()) m_visited.insert(candidate.key);
    if (it == m_existing.end()) {
        m_outcome.new_entries.push_back(candidate);
        m_pending += candidate.pending_delta;
        m_available += candidate.available_delta;
        return m_outcome.new_entries.back();
    }
    if (!(it->second == candidate)) m_outcome.conflicts.push_back(candidate.key);
    m_pending += it->second.pending_delta;
    m_available += it->second.available_delta;
    return it->second;
}

}  // namespace rewardd
