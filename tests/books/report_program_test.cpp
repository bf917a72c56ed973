// report: points expired, tier distribution, referral conversions, a campaign against the week
// before it and cashback against its orders' revenue, on a generated program history
// (program_history.hpp) whose answers this test works out from the plan and the rules alone:
// its own arithmetic for points, tiers, expiry and referrals, no engine, no database.
#include <set>

#include "books/books_history.hpp"
#include "books/program_history.hpp"
#include "books/report.hpp"
#include "books/report_render.hpp"

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::books;

namespace {

constexpr Timestamp k_day = k_seconds_per_day;
// Spend at an instant (milli-units of EUR), one entry per payment (+) and cancellation (-).
using SpendLog = std::vector<std::pair<Timestamp, std::int64_t>>;

// Spend in the 30-day window at t: facts at or before t (strictly before when `before`).
std::int64_t window_spend(const SpendLog& log, Timestamp t, bool before) {
    std::int64_t sum = 0;
    for (const auto& [at, milli] : log) {
        if ((before ? at < t : at <= t) && t < at + 30 * k_day) sum += milli;
    }
    return std::max<std::int64_t>(0, sum);
}

std::pair<std::string, std::int64_t> tier_of(std::int64_t spend_milli) {
    if (spend_milli >= 700000) return {"gold", 150};
    if (spend_milli >= 300000) return {"silver", 125};
    return {"none", 100};
}

struct Window {
    Timestamp from = 0, to = 0;  // [from, to)
    std::int64_t orders = 0, revenue_minor = 0, points = 0, cashback_minor = 0;
};

// Every figure the report gives for [from, to], from the plan.
struct Answers {
    Timestamp from = 0, to = 0;
    std::set<std::string> members, active;
    std::int64_t issued = 0, reversed = 0, expired = 0, liability = 0;
    std::map<std::string, std::int64_t> tiers;
    std::int64_t referred = 0, converted = 0, referrals_reversed = 0, refused = 0;
    std::int64_t cashback_minor = 0, cashback_revenue_minor = 0;
    Window during, before;

    bool inside(Timestamp t) const { return t >= from && t <= to; }
    // Points that arrive at `at`, may be taken back at `back` (0: never) and otherwise expire.
    void points(std::int64_t n, Timestamp at, Timestamp back, Timestamp expires_at) {
        if (inside(at)) issued += n;
        if (at <= to) liability += n;
        const Timestamp gone = back ? back : expires_at;
        if (inside(gone)) (back ? reversed : expired) += n;
        if (gone <= to) liability -= n;
    }
};

void count_window(Window& w, Timestamp paid, std::int64_t units, std::int64_t points, std::int64_t cashback) {
    if (paid < w.from || paid >= w.to) return;
    ++w.orders;
    w.revenue_minor += units * 100;
    w.points += points;
    w.cashback_minor += cashback;
}

Answers work_out(const std::vector<PlannedOrder>& plan, Timestamp from, Timestamp to) {
    Answers x;
    x.from = from;
    x.to = to;
    const Campaign spring = program_rules().campaigns[0];
    const Timestamp length = spring.ends_at - spring.starts_at;
    x.during = {spring.starts_at, spring.ends_at};
    x.before = {spring.starts_at - length, spring.starts_at};
    std::map<std::string, SpendLog> spend;
    for (const auto& o : plan) {
        spend[o.email].push_back({o.paid_at, o.units * 1000});
        if (o.cancelled_at) spend[o.email].push_back({o.cancelled_at, -o.units * 1000});
    }
    std::map<std::string, std::string> buyer_of_code;  // codes of customers who had ordered
    for (const auto& o : plan) {
        const bool boosted = o.paid_at >= spring.starts_at && o.paid_at < spring.ends_at;
        const std::int64_t tier_percent = tier_of(window_spend(spend[o.email], o.paid_at, true)).second;
        const std::int64_t points = o.units * tier_percent * (boosted ? 200 : 100) / 10000;
        const Timestamp release = o.paid_at + 14 * k_day, expiry = release + 21 * k_day;
        x.points(points, o.paid_at, o.cancelled_at, expiry);
        if (o.paid_at <= to) x.members.insert(o.email);
        if (x.inside(o.paid_at)) x.active.insert(o.email);
        const std::int64_t cashback = o.cancelled_at ? 0 : o.units * 100 * (boosted ? 600 : 200) / 10000;
        if (cashback > 0 && x.inside(release)) {
            x.cashback_minor += cashback;
            x.cashback_revenue_minor += o.units * 100;
        }
        count_window(x.during, o.paid_at, o.units, points, cashback);
        count_window(x.before, o.paid_at, o.units, points, cashback);

        if (!o.referral_code.empty()) {
            const auto referrer = buyer_of_code.find(o.referral_code);
            if (referrer == buyer_of_code.end() || referrer->second == o.email) {
                x.refused += x.inside(o.paid_at);
            } else {
                x.points(k_welcome_points + k_referrer_points, o.paid_at, o.cancelled_at, expiry);
                x.referred += x.inside(o.paid_at);
                if (o.cancelled_at) x.referrals_reversed += x.inside(o.cancelled_at);
                else x.converted += x.inside(release);
            }
        }
        buyer_of_code.emplace(referral_code(k_shop, o.email), o.email);
    }
    for (const auto& customer : x.members) ++x.tiers[tier_of(window_spend(spend[customer], to, false)).first];
    return x;
}

}  // namespace

TEST_CASE("expiry, tiers, referrals, a campaign and cashback in the report match answers worked out from the plan") {
    const auto plan = plan_program_orders(k_shop, 500, 7);
    History h;
    open_history(h, woocommerce_shop(), program_rules());
    apply_log(h, program_events(k_shop, plan), {}, Arrival::as_received);
    const auto recorded = RuleRepository(h.db).load();
    REQUIRE(recorded);
    const Timestamp from = k_program_start + 25 * k_day, to = k_program_start + 70 * k_day - 1;
    const Answers x = work_out(plan, from, to);
    // The plan exercises every figure: otherwise a figure stuck at 0 would pass.
    REQUIRE(x.expired > 0);
    REQUIRE(x.reversed > 0);
    REQUIRE(x.tiers.size() == 3);
    REQUIRE(x.converted > 0);
    REQUIRE(x.referrals_reversed > 0);
    REQUIRE(x.refused > 0);
    REQUIRE(x.during.orders > 0);
    REQUIRE(x.before.orders > 0);

    for (const std::string shop : {"", "wc1"}) {
        CAPTURE(shop);
        const auto r = rewardd::books::load_report(*h.db, *recorded, {from, to, shop, "EUR"});
        REQUIRE(r);
        CHECK(r->members == static_cast<std::int64_t>(x.members.size()));
        CHECK(r->active_members == static_cast<std::int64_t>(x.active.size()));
        CHECK(r->points_issued == x.issued);
        CHECK(r->points_reversed == x.reversed);
        CHECK(r->points_expired == x.expired);
        CHECK(r->points_redeemed == 0);
        CHECK(r->liability_available + r->liability_pending == x.liability);
        CHECK(r->liability_minor == x.liability);  // one point is one cent
        REQUIRE(r->journal.size() == 4);
        CHECK(r->journal[3].movement == "expiry");
        CHECK(r->journal[3].points == x.expired);
        CHECK(r->tiers == x.tiers);
        CHECK(r->referrals.referred == x.referred);
        CHECK(r->referrals.converted == x.converted);
        CHECK(r->referrals.reversed == x.referrals_reversed);
        CHECK(r->referrals.refused == x.refused);
        CHECK(r->cashback_minor == rewardd::books::PerCurrency{{"EUR", x.cashback_minor}});
        CHECK(r->cashback_order_revenue_minor == rewardd::books::PerCurrency{{"EUR", x.cashback_revenue_minor}});
        REQUIRE(r->campaigns.size() == 1);
        for (const auto& [figures, answer] : {std::pair{r->campaigns[0].during, x.during},
                                              std::pair{r->campaigns[0].before, x.before}}) {
            CHECK(figures.from == answer.from);
            CHECK(figures.to == answer.to);
            CHECK(figures.orders == answer.orders);
            CHECK(figures.revenue_minor == rewardd::books::PerCurrency{{"EUR", answer.revenue_minor}});
            CHECK(figures.points_earned == answer.points);
            CHECK(figures.cashback_minor == rewardd::books::PerCurrency{{"EUR", answer.cashback_minor}});
        }
    }
    const auto doc = rewardd::books::report_json(*rewardd::books::load_report(*h.db, *recorded, {from, to, "", "EUR"}));
    CHECK(doc["points"]["expired"] == x.expired);
    CHECK(doc["referrals"]["converted"] == x.converted);
    CHECK(doc["tiers"]["gold"] == x.tiers.at("gold"));
}
