// A deterministic generated program history for the rulebook replay test: thousands of customers
// under two rules versions (tiers, weekend campaigns, a weekly cashback push, category
// multipliers and cashback rates, referrals, lifetime then inactivity expiry, carry then write-off),
// with orders refunded, cancelled and completed, guests joining accounts by e-mail, manual
// adjustments, registrations, and redemptions reserved, committed and released. As in
// history_generator.hpp, an order's events occur within ten days of payment (inside the 14-day
// pending period) and are received within a day; some orders are also refunded 15 to 40 days
// after payment, when their points may already be spent.
#pragma once

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/referral_code.hpp"
#include "core/rules_harness.hpp"

namespace rewardd::test {

enum class StepKind { event, redeem, redeem_commit, redeem_release };

struct Step {
    StepKind kind = StepKind::event;
    Timestamp at = 0;  // received (events) or requested (redemptions)
    Event event;
    std::string customer;       // redemptions
    std::string redemption_id;  // redemptions
    std::int64_t points = 0;    // redemptions
};

struct MixedHistory {
    RuleBook rules;
    std::vector<Step> steps;  // by `at`
    std::size_t events = 0;
};

constexpr Timestamp k_history_start = 1767225600;  // 2026-01-01T00:00:00Z, a Thursday

inline RuleBook mixed_rules() {
    Rules v1;
    v1.version = 1;
    v1.min_order_milli = 10000;  // 10.00
    v1.category_multipliers = {{"shoes", 150}};
    v1.product_multipliers = {{"gift", 0}};
    v1.tiers = {{"silver", 1000000, 125}, {"gold", 5000000, 150}};
    for (int week = 0; week < 70; ++week) {  // weekend double points and a Wednesday cashback push
        const Timestamp saturday = k_history_start + (2 + 7 * week) * k_seconds_per_day;
        v1.campaigns.push_back({"weekend-" + std::to_string(week), saturday, saturday + 2 * k_seconds_per_day,
                                200, 0, "", 0});
        const Timestamp wednesday = saturday + 4 * k_seconds_per_day;
        v1.campaigns.push_back({"push-" + std::to_string(week), wednesday, wednesday + k_seconds_per_day, 100,
                                800, "", 200000});
    }
    v1.cashback.rate_bp = 500;
    v1.cashback.min_order_milli = 500000;
    v1.cashback.category_bp = {{"books", 1000}};
    v1.referral = {200, 500};
    v1.expiry.lifetime_days = 180;
    Rules v2 = v1;  // from day 200: richer shoes, easier silver, even referrals, inactivity expiry
    v2.version = 2;
    v2.effective_from = k_history_start + 200 * k_seconds_per_day;
    v2.category_multipliers = {{"shoes", 200}, {"socks", 150}};
    v2.tiers = {{"silver", 800000, 125}, {"gold", 5000000, 150}};
    v2.referral = {300, 300};
    v2.expiry = {90, 0};
    v2.negative_policy = NegativePolicy::write_off;
    return RuleBook({v1, v2});
}

inline MixedHistory generate_mixed_history(std::size_t event_target, unsigned seed, int customer_count = 4000) {
    std::mt19937_64 rng(seed);
    auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
    auto email_of = [](std::int64_t n) { return "c" + std::to_string(n) + "@example.com"; };
    const char* currencies[] = {"EUR", "NOK", "JPY", "KWD"};
    const char* categories[] = {"shoes", "books", "socks", "", ""};
    MixedHistory out{mixed_rules(), {}, 0};
    std::vector<bool> ordered(static_cast<std::size_t>(customer_count), false);
    std::vector<std::int64_t> buyers;  // customers with an order: the referrers
    auto add = [&](Event e, Timestamp business, Timestamp received) {
        e.shop_id = "shop1";
        e.occurred_at = business;
        out.steps.push_back({StepKind::event, received, std::move(e), "", "", 0});
        ++out.events;
    };
    Timestamp clock = k_history_start;
    for (int n = 0; out.events < event_target; ++n) {
        clock += pick(60, 1800);
        const auto who = pick(0, customer_count - 1);
        const auto roll = pick(0, 99);
        if (roll < 3) {  // a registration before any order: a referrer can be known without ordering
            Event e;
            e.id = "reg-" + std::to_string(n);
            e.type = EventType::customer_created;
            e.customer = CustomerRef{std::to_string(who), email_of(who)};
            add(std::move(e), clock, clock + pick(0, 600));
            continue;
        }
        if (roll < 6) {  // a manual adjustment, sometimes taking points away
            Event e;
            e.id = "adj-" + std::to_string(n);
            e.type = EventType::points_adjusted;
            e.customer = CustomerRef{"", email_of(who)};
            e.adjustment = Adjustment{pick(-300, 800), "goodwill"};
            add(std::move(e), clock, clock + pick(0, 600));
            continue;
        }
        if (roll < 10) {  // a redemption: reserved now, later used or released
            const std::string id = "rd-" + std::to_string(n);
            out.steps.push_back({StepKind::redeem, clock, {}, email_of(who), id, pick(5, 20) * 100});
            const bool used = pick(0, 2) > 0;
            out.steps.push_back({used ? StepKind::redeem_commit : StepKind::redeem_release,
                                 clock + pick(1, 7) * k_seconds_per_day, {}, email_of(who), id, 0});
            continue;
        }
        Order o;
        o.id = std::to_string(n);
        o.currency = currencies[pick(0, 3)];
        const bool guest = pick(0, 3) == 0;  // guests and accounts share the ledger by e-mail
        o.customer = {guest ? "" : std::to_string(who), email_of(who)};
        for (int l = 0, count = static_cast<int>(pick(1, 3)); l < count; ++l) {
            const std::string cat = categories[pick(0, 4)];
            o.lines.push_back({"l" + std::to_string(l), pick(0, 19) == 0 ? "gift" : "p" + std::to_string(pick(1, 50)),
                               cat.empty() ? std::vector<std::string>{} : std::vector<std::string>{cat}, 1,
                               pick(500, 120000)});
            o.total_minor += o.lines.back().total_minor;
        }
        o.discount_minor = pick(0, 3) == 0 ? pick(0, o.total_minor / 10) : 0;
        o.total_minor -= o.discount_minor;
        const auto referral = pick(0, 99);
        if (!ordered[static_cast<std::size_t>(who)] && referral < 40 && !buyers.empty()) {
            const auto referrer = buyers[static_cast<std::size_t>(pick(0, static_cast<std::int64_t>(buyers.size()) - 1))];
            o.referral_code = referral < 32 ? referral_code("shop1", email_of(referrer))
                            : referral < 36 ? referral_code("shop1", email_of(who))  // self-referral
                                            : "R00000" + std::to_string(10000 + referral);  // unknown
        } else if (referral < 3 && !buyers.empty()) {  // a code on a later order: a second referral
            o.referral_code = referral_code("shop1", email_of(buyers.front()));
        }
        if (!ordered[static_cast<std::size_t>(who)]) buyers.push_back(who);
        ordered[static_cast<std::size_t>(who)] = true;

        auto order_event = [&](EventType type, const std::string& suffix, Timestamp at) {
            Event e;
            e.id = "o" + o.id + "-" + suffix;
            e.type = type;
            e.order = o;
            add(std::move(e), at, at + pick(0, k_seconds_per_day - 1));
        };
        auto refund = [&](const std::string& rid, Timestamp at, Refund r) {
            Event e;
            e.id = "o" + o.id + "-" + rid;
            e.type = EventType::order_refunded;
            e.order = o;
            e.refund = std::move(r);
            add(std::move(e), at, at + pick(0, k_seconds_per_day - 1));
        };
        const Timestamp paid = clock;
        order_event(EventType::order_placed, "placed", paid - 30);
        order_event(EventType::order_paid, "paid", paid);
        const auto fate = pick(0, 9);
        const auto& line = o.lines[static_cast<std::size_t>(pick(0, static_cast<std::int64_t>(o.lines.size()) - 1))];
        if (fate <= 1) {  // a line refunded in two parts
            refund("r1", paid + pick(60, 5 * k_seconds_per_day), Refund{"r1", line.total_minor / 2, {{line.id, 1, line.total_minor / 2}}});
            refund("r2", paid + pick(5 * k_seconds_per_day, 9 * k_seconds_per_day),
                   Refund{"r2", line.total_minor - line.total_minor / 2, {{line.id, 1, line.total_minor - line.total_minor / 2}}});
        } else if (fate == 2) {
            refund("r1", paid + pick(60, 9 * k_seconds_per_day), Refund{"r1", o.total_minor / 3, {}});
        } else if (fate == 3) {
            refund("r1", paid + pick(60, 9 * k_seconds_per_day), Refund{"r1", o.total_minor, {}});
        } else if (fate == 4) {
            order_event(EventType::order_cancelled, "cancel", paid + pick(60, 9 * k_seconds_per_day));
        } else if (fate == 5) {  // a refund that occurred (and arrives) before its paid event
            refund("r1", paid - 10, Refund{"r1", o.total_minor / 4, {}});
        } else if (fate == 6) {  // a full refund well after release: points maybe spent already
            refund("r1", paid + pick(15 * k_seconds_per_day, 40 * k_seconds_per_day), Refund{"r1", o.total_minor, {}});
        }
        if (fate >= 4) order_event(EventType::order_completed, "done", paid + pick(60, 9 * k_seconds_per_day));
    }
    std::stable_sort(out.steps.begin(), out.steps.end(), [](const Step& a, const Step& b) { return a.at < b.at; });
    return out;
}

}  // namespace rewardd::test
