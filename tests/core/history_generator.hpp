// A deterministic generated history for replay tests: many customers and orders across
// currencies, with partial and full refunds, amount-only refunds, cancellations, completions and
// refunds that arrive before their order's paid event. Every event of an order occurs within ten
// days of payment (inside the 14-day pending period) and is received within a day.
#pragma once

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/engine_harness.hpp"

namespace rewardd::test {

struct GeneratedEvent {
    Event event;
    Timestamp received_at = 0;
};

// `customers` e-mails share the orders (c0@ … c<customers-1>@example.com).
inline std::vector<GeneratedEvent> generate_history(std::size_t event_target, unsigned seed, int customers = 500) {
    std::mt19937_64 rng(seed);
    auto pick = [&](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    const char* currencies[] = {"EUR", "NOK", "JPY", "KWD", "USD"};
    std::vector<GeneratedEvent> out;
    Timestamp clock = 1767225600;  // 2026-01-01
    for (int n = 0; out.size() < event_target; ++n) {
        clock += pick(60, 3600);
        const std::string currency = currencies[pick(0, 4)];
        std::vector<std::pair<std::string, std::int64_t>> lines;
        const auto line_count = pick(1, 4);
        for (int l = 0; l < line_count; ++l) lines.push_back({"l" + std::to_string(l), pick(100, 90000)});
        Order o = make_order(std::to_string(n), currency, lines, pick(0, 1) ? pick(0, 50) : 0, pick(0, 5000),
                             pick(0, 1500), "c" + std::to_string(pick(0, customers - 1)) + "@example.com");
        o.customer.id = "";
        auto add = [&](Event e) {
            out.push_back({std::move(e), 0});
            out.back().event.id = "o" + o.id + "-" + out.back().event.id;
            out.back().received_at = out.back().event.occurred_at + pick(0, k_seconds_per_day - 1);
        };
        const Timestamp paid = clock;
        add(order_event(EventType::order_placed, "placed", paid - 30, o));
        add(order_event(EventType::order_paid, "paid", paid, o));
        const auto fate = pick(0, 9);
        if (fate <= 2) {  // partial line refunds
            const auto& line = o.lines[static_cast<std::size_t>(pick(0, line_count - 1))];
            add(refund_event("r1", paid + pick(60, 5 * k_seconds_per_day), o,
                             Refund{"r1", line.total_minor / 2, {{line.id, 1, line.total_minor / 2}}}));
            add(refund_event("r2", paid + pick(5 * k_seconds_per_day, 9 * k_seconds_per_day), o,
                             Refund{"r2", line.total_minor - line.total_minor / 2,
                                    {{line.id, 1, line.total_minor - line.total_minor / 2}}}));
        } else if (fate == 3) {  // amount-only refund
            add(refund_event("r1", paid + pick(60, 9 * k_seconds_per_day), o, Refund{"r1", o.total_minor / 3, {}}));
        } else if (fate == 4) {  // full refund
            add(refund_event("r1", paid + pick(60, 9 * k_seconds_per_day), o, Refund{"r1", o.total_minor, {}}));
        } else if (fate == 5) {
            add(order_event(EventType::order_cancelled, "cancel", paid + pick(60, 9 * k_seconds_per_day), o));
        } else if (fate == 6) {  // a refund that occurred (and arrives) before its paid event
            add(refund_event("r1", paid - 10, o, Refund{"r1", o.total_minor / 4, {}}));
        }
        if (fate >= 5) add(order_event(EventType::order_completed, "done", paid + pick(60, 9 * k_seconds_per_day), o));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.received_at < b.received_at; });
    return out;
}

}  // namespace rewardd::test
