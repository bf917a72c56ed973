// A generated loyalty-program history for the bookkeeper's tests (report, reconcile), simple enough
// that a test can work out every figure from the plan and the rules alone: one shop in EUR, one-line orders of
// whole euros (no discount, tax or shipping), customers joining over three months, some orders
// cancelled within ten days (before their 14-day pending period ends), and each customer's first
// order carrying a referral code: a known buyer's, their own, an unknown one, or none.
#pragma once

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/history_generator.hpp"
#include "core/referral_code.hpp"
#include "core/rules.hpp"

namespace rewardd::test::books {

constexpr Timestamp k_program_start = 1767225600;  // 2026-01-01

constexpr std::int64_t k_welcome_points = 100, k_referrer_points = 200;

// The program the history runs under: tiers on 30 days' spend, lifetime expiry, referrals,
// cashback and a spring campaign.
inline Rules program_rules() {
    constexpr Timestamp day = k_seconds_per_day;
    Rules r;  // 1 point per 1.00, 14 days pending, 100 points = 1.00
    r.tiers = {{"silver", 300000, 125}, {"gold", 700000, 150}};  // 300.00 and 700.00 in 30 days
    r.tier_window_days = 30;
    r.expiry.lifetime_days = 21;
    r.referral = {k_welcome_points, k_referrer_points};
    r.cashback.rate_bp = 200;
    r.campaigns.push_back({"spring", k_program_start + 35 * day, k_program_start + 42 * day, 200, 600, "", 0});
    return r;
}

struct PlannedOrder {
    std::string id;
    std::string email;
    Timestamp paid_at = 0;
    std::int64_t units = 0;       // whole euros: the order's total and its base
    Timestamp cancelled_at = 0;   // 0: never cancelled
    std::string referral_code;    // empty: none
};

inline std::vector<PlannedOrder> plan_program_orders(const std::string& shop_id, int orders, unsigned seed) {
    std::mt19937_64 rng(seed);
    auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
    auto email_of = [](std::int64_t n) { return "p" + std::to_string(n) + "@example.com"; };
    std::vector<PlannedOrder> out;
    std::vector<std::int64_t> buyers;  // in order of their first order
    Timestamp clock = k_program_start;
    for (int n = 0; n < orders; ++n) {
        clock += pick(1800, 7 * 3600);
        const std::int64_t who = pick(0, std::min(59, n / 8));  // a new customer every eight orders or so
        PlannedOrder o{std::to_string(n), email_of(who), clock, pick(10, 200), 0, ""};
        if (pick(0, 7) == 0) o.cancelled_at = clock + pick(3600, 10 * k_seconds_per_day);
        if (std::find(buyers.begin(), buyers.end(), who) == buyers.end()) {
            const auto roll = pick(0, 9);
            if (roll < 5 && !buyers.empty()) {
                const auto referrer = buyers[static_cast<std::size_t>(pick(0, static_cast<std::int64_t>(buyers.size()) - 1))];
                o.referral_code = referral_code(shop_id, email_of(referrer));
            } else if (roll == 5) {
                o.referral_code = referral_code(shop_id, o.email);  // their own: refused
            } else if (roll == 6) {
                o.referral_code = "R0000099999";  // nobody's: refused
            }
            buyers.push_back(who);
        }
        out.push_back(std::move(o));
    }
    return out;
}

// The plan as stored events: placed, paid and, for some, cancelled; each received a second later.
inline std::vector<GeneratedEvent> program_events(const std::string& shop_id, const std::vector<PlannedOrder>& plan) {
    std::vector<GeneratedEvent> out;
    for (const auto& p : plan) {
        Order o = make_order(p.id, "EUR", {{"l0", p.units * 100}}, 0, 0, 0, p.email);
        o.customer.id = "";
        if (!p.referral_code.empty()) o.referral_code = p.referral_code;
        auto add = [&](EventType type, const std::string& suffix, Timestamp at) {
            Event e = order_event(type, "o" + p.id + "-" + suffix, at, o);
            e.shop_id = shop_id;
            out.push_back({std::move(e), at + 1});
        };
        add(EventType::order_placed, "placed", p.paid_at - 30);
        add(EventType::order_paid, "paid", p.paid_at);
        if (p.cancelled_at) add(EventType::order_cancelled, "cancel", p.cancelled_at);
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.received_at < b.received_at; });
    return out;
}

}  // namespace rewardd::test::books
