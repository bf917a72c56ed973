// The figures, each computed in one small pass so each matches its definition in docs/report.md.
#include <algorithm>
#include <set>

#include "books/report.hpp"
#include "core/money.hpp"
#include "core/redemption.hpp"

namespace rewardd::books {
namespace {

bool in_shop(const std::string& shop, const ReportRequest& r) { return r.shop_id.empty() || shop == r.shop_id; }
bool in_period(Timestamp t, const ReportRequest& r) { return t >= r.from && t <= r.to; }
std::int64_t delta(const LedgerEntry& e) { return e.pending_delta + e.available_delta; }

std::int64_t value_minor(const RuleBook& rules, std::int64_t points, const std::string& currency) {
    const auto exponent = currency_exponent(currency);
    if (!exponent || rules.versions().empty()) return 0;
    const bool negative = points < 0;
    const std::int64_t v = redemption_value_minor(rules.latest(), negative ? -points : points, *exponent);
    return negative ? -v : v;
}

GroupFigures group(const std::vector<const OrderFact*>& orders) {
    GroupFigures g;
    std::map<std::string, int> per_customer;
    int anonymous = 0;
    for (const auto* o : orders) {
        ++g.orders[o->currency];
        g.revenue_minor[o->currency] += o->total_minor;
        if (o->customer.empty()) ++anonymous;
        else ++per_customer[o->customer];
    }
    g.customers = anonymous + static_cast<std::int64_t>(per_customer.size());
    g.repeat_customers = std::count_if(per_customer.begin(), per_customer.end(), [](const auto& c) { return c.second >= 2; });
    return g;
}

void count_points(Report& r, const std::vector<LedgerEntry>& entries) {
    for (const auto& e : entries) {
        if (!in_shop(e.shop_id, r.request) || !in_period(e.effective_at, r.request)) continue;
        const std::int64_t d = delta(e);
        switch (e.kind) {
            case EntryKind::earn_pending: r.points_issued += d; break;
            // A referral reward is held (+), released (0) or taken back (-); an adjustment either way.
            case EntryKind::referral_reward: case EntryKind::adjust:
                (d > 0 ? r.points_issued : r.points_reversed) += d > 0 ? d : -d;
                break;
            case EntryKind::claw_back: case EntryKind::reverse: case EntryKind::negative_balance:
                r.points_reversed -= d;
                break;
            case EntryKind::reserve: case EntryKind::reserve_release: case EntryKind::redeem_commit:
                r.points_redeemed -= d;  // a commit moves points only when it re-spends a released code
                break;
            case EntryKind::expire: r.points_expired -= d; break;
            default: break;
        }
        if (e.kind == EntryKind::cashback_due) r.cashback_minor[e.currency] += e.base_minor;
    }
}

// Each referral once, by its referee: the hold's key "<shop>:referral:<referee>:welcome" (or
// ":referrer"), its ":release" or ":reverse" step naming the hold (core/referral_award.hpp).
void count_referrals(Report& r, const std::vector<LedgerEntry>& entries) {
    std::set<std::string> referred, converted, reversed;
    for (const auto& e : entries) {
        if (!in_shop(e.shop_id, r.request) || !in_period(e.effective_at, r.request)) continue;
        if (e.kind == EntryKind::referral_refused) ++r.referrals.refused;
        if (e.kind != EntryKind::referral_reward) continue;
        const std::string& hold = e.refers_to.empty() || e.key.ends_with(":referrer") ? e.key : e.refers_to;
        const std::string referee = hold.substr(0, hold.rfind(':'));
        if (e.key.ends_with(":release")) converted.insert(referee);
        else if (e.key.ends_with(":reverse")) reversed.insert(referee);
        else referred.insert(referee);
    }
    r.referrals.referred = static_cast<std::int64_t>(referred.size());
    r.referrals.converted = static_cast<std::int64_t>(converted.size());
    r.referrals.reversed = static_cast<std::int64_t>(reversed.size());
}

// "silver -> gold" reached gold.
std::string tier_reached(const LedgerEntry& e) {
    const auto arrow = e.reason.rfind(" -> ");
    return arrow == std::string::npos ? "none" : e.reason.substr(arrow + 4);
}

// Balances and tiers as they stand at the end of the period.
void count_standing(Report& r, const std::vector<LedgerEntry>& entries) {
    std::map<std::string, std::pair<Timestamp, std::string>> tiers;  // member -> last change
    for (const auto& e : entries) {
        if (!in_shop(e.shop_id, r.request) || e.effective_at > r.request.to) continue;
        r.liability_available += e.available_delta;
        r.liability_pending += e.pending_delta;
        tiers.try_emplace(e.customer, Timestamp{0}, "none");
    }
    // A tier is the customer's, across shops: a change the window's end made names no shop.
    for (const auto& e : entries) {
        const auto member = tiers.find(e.customer);
        if (e.kind != EntryKind::tier_change || e.effective_at > r.request.to || member == tiers.end()) continue;
        if (e.effective_at >= member->second.first) member->second = {e.effective_at, tier_reached(e)};
    }
    r.members = static_cast<std::int64_t>(tiers.size());
    for (const auto& [_, t] : tiers) ++r.tiers[t.second];
}

void add_journal(Report& r, const RuleBook& rules) {
    const auto line = [&](const char* movement, const char* debit, const char* credit, std::int64_t points) {
        r.journal.push_back({movement, debit, credit, points, value_minor(rules, points, r.request.currency)});
    };
    line("accrual", "loyalty expense", "loyalty liability", r.points_issued);
    line("reversal", "loyalty liability", "loyalty expense", r.points_reversed);
    line("redemption", "loyalty liability", "sales discounts", r.points_redeemed);
    line("expiry", "loyalty liability", "loyalty expense (breakage)", r.points_expired);
    r.liability_minor = value_minor(rules, r.liability_available + r.liability_pending, r.request.currency);
}

WindowFigures window(Timestamp from, Timestamp to, const std::vector<OrderFact>& orders,
                     const std::map<std::string, std::vector<const LedgerEntry*>>& by_order, const ReportRequest& req) {
    WindowFigures w;
    w.from = from;
    w.to = to;
    for (const auto& o : orders) {
        if (!in_shop(o.shop_id, req) || o.paid_at < from || o.paid_at >= to) continue;
        ++w.orders;
        w.revenue_minor[o.currency] += o.total_minor;
        const auto it = by_order.find(o.shop_id + "\n" + o.order_id);
        if (it == by_order.end()) continue;
        for (const auto* e : it->second) {
            if (e->kind == EntryKind::earn_pending) w.points_earned += e->pending_delta;
            if (e->kind == EntryKind::cashback_due) w.cashback_minor[e->currency] += e->base_minor;
        }
    }
    return w;
}

void count_campaigns(Report& r, const std::vector<OrderFact>& orders, const std::vector<LedgerEntry>& entries,
                     const RuleBook& rules) {
    std::map<std::string, std::vector<const LedgerEntry*>> by_order;
    for (const auto& e : entries) {
        if (!e.order_id.empty()) by_order[e.shop_id + "\n" + e.order_id].push_back(&e);
    }
    std::set<std::string> seen;
    for (const auto& version : rules.versions()) {
        for (const auto& c : version.campaigns) {
            if (!seen.insert(c.id).second) continue;
            if (c.ends_at < r.request.from || c.starts_at > r.request.to) continue;
            const Timestamp length = c.ends_at - c.starts_at;
            r.campaigns.push_back({c.id, window(c.starts_at, c.ends_at, orders, by_order, r.request),
                                   window(c.starts_at - length, c.starts_at, orders, by_order, r.request)});
        }
    }
    std::set<std::string> cashback_orders;
    for (const auto& e : entries) {
        if (e.kind == EntryKind::cashback_due && in_shop(e.shop_id, r.request) && in_period(e.effective_at, r.request)) {
            cashback_orders.insert(e.shop_id + "\n" + e.order_id);
        }
    }
    for (const auto& o : orders) {
        if (cashback_orders.count(o.shop_id + "\n" + o.order_id)) r.cashback_order_revenue_minor[o.currency] += o.total_minor;
    }
}

}  // namespace

Report build_report(const std::vector<OrderFact>& orders, const std::vector<LedgerEntry>& entries,
                    const RuleBook& rules, const ReportRequest& request) {
    Report r;
    r.request = request;
    count_points(r, entries);
    count_referrals(r, entries);
    count_standing(r, entries);
    std::set<std::string> members;
    for (const auto& e : entries) {
        if (in_shop(e.shop_id, request) && e.effective_at <= request.to) members.insert(e.customer);
    }
    std::vector<const OrderFact*> member_orders, other_orders;
    std::set<std::string> active;
    for (const auto& o : orders) {
        if (!in_shop(o.shop_id, request) || !in_period(o.paid_at, request)) continue;
        const bool member = !o.customer.empty() && members.count(o.customer);
        (member ? member_orders : other_orders).push_back(&o);
        if (member) active.insert(o.customer);
    }
    r.active_members = static_cast<std::int64_t>(active.size());
    r.member_orders = group(member_orders);
    r.other_orders = group(other_orders);
    add_journal(r, rules);
    count_campaigns(r, orders, entries, rules);
    return r;
}

std::int64_t redemption_rate_bp(const Report& r) {
    return r.points_issued > 0 ? r.points_redeemed * 10000 / r.points_issued : 0;
}

}  // namespace rewardd::books
