// report: every figure on a generated history (with a campaign and cashback) against answers this
// test computes itself from the generated events and a pure engine rebuild, not from the database.
#include <nlohmann/json.hpp>

#include <set>

#include "books/books_history.hpp"
#include "books/report.hpp"
#include "books/report_render.hpp"

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::books;

namespace {

constexpr Timestamp k_start = 1767225600;  // 2026-01-01, where the generated history begins

Rules report_rules() {
    Rules r;
    r.cashback.rate_bp = 200;  // 2 %
    Campaign c;
    c.id = "double-days";
    c.starts_at = k_start + 8 * k_seconds_per_day;
    c.ends_at = k_start + 12 * k_seconds_per_day;
    c.multiplier_percent = 200;
    r.campaigns.push_back(c);
    return r;
}

struct Expected {
    std::set<std::string> members;
    std::map<std::string, int> orders_per_member, orders_per_other;
    std::map<std::string, std::int64_t> member_revenue, member_orders;
    std::int64_t issued = 0, reversed = 0, liability = 0;
    std::map<std::string, std::int64_t> cashback, cashback_revenue;
    std::int64_t campaign_orders = 0, before_orders = 0, campaign_points = 0;
    std::map<std::string, std::int64_t> campaign_revenue;
};

}  // namespace

TEST_CASE("report figures match answers computed independently from the generated history") {
    History h;
    make_history(h, 3000, "http://127.0.0.1:9", report_rules());
    const Timestamp from = k_start + 5 * k_seconds_per_day, to = k_start + 20 * k_seconds_per_day;
    const auto recorded = RuleRepository(h.db).load();
    REQUIRE(recorded);
    REQUIRE(recorded->latest().campaigns.size() == 1);

    // Independently: the generated events and the engine alone.
    const auto log = generate_history(3000, 42);
    RewardEngine engine{RuleBook{{report_rules()}}};
    std::map<std::string, std::vector<Event>> by_order;
    std::map<std::string, const Event*> paid;
    for (const auto& g : log) {
        by_order[g.event.order->id].push_back(g.event);
        if (g.event.type == EventType::order_paid) paid.emplace(g.event.order->id, &g.event);
    }
    Expected x;
    std::map<std::string, std::vector<LedgerEntry>> entries_of;
    for (const auto& [id, events] : by_order) {
        for (auto& e : engine.apply_order(events, {}, h.end).new_entries) {
            if (e.effective_at <= to) {
                x.members.insert(e.customer);
                x.liability += e.pending_delta + e.available_delta;
            }
            const bool inside = e.effective_at >= from && e.effective_at <= to;
            if (inside && e.kind == EntryKind::earn_pending) x.issued += e.pending_delta;
            if (inside && (e.kind == EntryKind::claw_back || e.kind == EntryKind::reverse)) {
                x.reversed -= e.pending_delta + e.available_delta;
            }
            if (inside && e.kind == EntryKind::cashback_due) {
                x.cashback[e.currency] += e.base_minor;
                x.cashback_revenue[e.currency] += paid.at(id)->order->total_minor;
            }
            entries_of[id].push_back(e);
        }
    }
    const Campaign& c = report_rules().campaigns[0];
    for (const auto& [id, event] : paid) {
        const Order& o = *event->order;
        const Timestamp at = event->occurred_at;
        if (at >= c.starts_at && at < c.ends_at) {
            ++x.campaign_orders;
            x.campaign_revenue[o.currency] += o.total_minor;
            for (const auto& e : entries_of[id]) {
                if (e.kind == EntryKind::earn_pending) x.campaign_points += e.pending_delta;
            }
        }
        if (at >= 2 * c.starts_at - c.ends_at && at < c.starts_at) ++x.before_orders;
        if (at < from || at > to) continue;
        if (!x.members.count(o.customer.email)) {  // e.g. only orders too small to earn a point
            ++x.orders_per_other[o.customer.email];
            continue;
        }
        ++x.orders_per_member[o.customer.email];
        x.member_revenue[o.currency] += o.total_minor;
        ++x.member_orders[o.currency];
    }

    const auto report = rewardd::books::load_report(*h.db, *recorded, {from, to, "", "EUR"});
    REQUIRE(report);
    CHECK(report->members == static_cast<std::int64_t>(x.members.size()));
    CHECK(report->active_members == static_cast<std::int64_t>(x.orders_per_member.size()));
    CHECK(report->member_orders.customers == static_cast<std::int64_t>(x.orders_per_member.size()));
    CHECK(report->member_orders.repeat_customers ==
          std::count_if(x.orders_per_member.begin(), x.orders_per_member.end(), [](const auto& m) { return m.second > 1; }));
    CHECK(report->member_orders.revenue_minor == x.member_revenue);
    CHECK(report->member_orders.orders == x.member_orders);
    CHECK(report->other_orders.customers == static_cast<std::int64_t>(x.orders_per_other.size()));
    CHECK(report->points_issued == x.issued);
    CHECK(report->points_reversed == x.reversed);
    CHECK(report->points_redeemed == 0);
    CHECK(report->liability_available + report->liability_pending == x.liability);
    CHECK(report->liability_minor == x.liability);  // 100 points = 1.00 EUR: one point is one cent
    REQUIRE(report->journal.size() == 4);
    CHECK(report->journal[0].movement == "accrual");
    CHECK(report->journal[0].amount_minor == x.issued);
    CHECK(report->cashback_minor == x.cashback);
    CHECK(report->cashback_order_revenue_minor == x.cashback_revenue);
    REQUIRE(report->campaigns.size() == 1);
    CHECK(report->campaigns[0].during.orders == x.campaign_orders);
    CHECK(report->campaigns[0].during.revenue_minor == x.campaign_revenue);
    CHECK(report->campaigns[0].during.points_earned == x.campaign_points);
    CHECK(report->campaigns[0].before.orders == x.before_orders);
    CHECK(x.campaign_orders > 0);
    CHECK(x.before_orders > 0);

    const auto doc = rewardd::books::report_json(*report);
    CHECK(doc["points"]["issued"] == x.issued);
    CHECK(doc["campaigns"][0]["id"] == "double-days");
    h.db.reset();
    const auto cli = run_rewardd({"report", "--from", "2026-01-06", "--to", "2026-01-21T00:00:00Z", "--currency", "EUR",
                                  "--json", "--data", h.data()});
    REQUIRE_MESSAGE(cli.exit_code == 0, cli.err);
    CHECK(nlohmann::json::parse(cli.out)["points"]["issued"] == x.issued);
    const auto csv = run_rewardd({"report", "--csv", "--data", h.data()});
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("figure,value\n", 0) == 0);
    CHECK(csv.out.find("journal.0.movement,accrual") != std::string::npos);
}

TEST_CASE("redemptions count as redeemed, in the redemption rate and in the journal's redemption line") {
    History h;
    make_history(h, 1500);
    redeem_some(h, 3);  // 500 points each, at h.end
    const auto recorded = RuleRepository(h.db).load();
    REQUIRE(recorded);

    // Independently: the points the engine alone issues for the generated orders, and the 3 × 500
    // this test redeemed; 100 points are 1.00 EUR under the default rules.
    const auto log = generate_history(1500, 42);
    RewardEngine engine{RuleBook{{Rules{}}}};
    std::map<std::string, std::vector<Event>> by_order;
    for (const auto& g : log) by_order[g.event.order->id].push_back(g.event);
    std::int64_t issued = 0, liability = 0;
    for (const auto& [id, events] : by_order) {
        for (const auto& e : engine.apply_order(events, {}, h.end).new_entries) {
            if (e.kind == EntryKind::earn_pending) issued += e.pending_delta;
            liability += e.pending_delta + e.available_delta;
        }
    }
    const std::int64_t redeemed = 3 * 500;
    REQUIRE(issued > redeemed);

    const auto report = rewardd::books::load_report(*h.db, *recorded, {0, h.end, "", "EUR"});
    REQUIRE(report);
    CHECK(report->points_issued == issued);
    CHECK(report->points_redeemed == redeemed);
    CHECK(rewardd::books::redemption_rate_bp(*report) == redeemed * 10000 / issued);
    CHECK(report->liability_available + report->liability_pending == liability - redeemed);
    REQUIRE(report->journal.size() == 4);
    CHECK(report->journal[2].movement == "redemption");
    CHECK(report->journal[2].points == redeemed);
    CHECK(report->journal[2].amount_minor == redeemed);  // 15.00 EUR
}
