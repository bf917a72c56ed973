// The foundation rules as tables: earning and rounding, pending and release, partial and full
// refunds, cancellation and restore (a trashed order taken out of the trash), out-of-order and
// repeated events. Each row: an event, then the expected
// available and pending points.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/engine_harness.hpp"
#include "core/tier_timeline.hpp"

using namespace rewardd;
using namespace rewardd::test;

namespace {

constexpr Timestamp t0 = 1795341600;  // 2026-11-22T10:00:00Z
constexpr Timestamp day = k_seconds_per_day;

struct Row {
    Event event;
    Timestamp now;
    std::int64_t available;
    std::int64_t pending;
};

void run_table(EngineHarness& h, const std::vector<Row>& rows) {
    int n = 0;
    for (const auto& row : rows) {
        CAPTURE(++n);
        CAPTURE(row.event.id);
        h.deliver(row.event, row.now);
        const auto b = h.balance();
        CHECK(b.available == row.available);
        CHECK(b.pending == row.pending);
    }
}

}  // namespace

TEST_CASE("points are earned on the subtotal after discounts, without tax and shipping, rounded down") {
    struct Case { const char* currency; std::vector<std::pair<std::string, std::int64_t>> lines; std::int64_t discount; std::int64_t points; };
    const Case cases[] = {
        {"NOK", {{"l1", 39800}}, 0, 398},            // 398.00 -> 398
        {"EUR", {{"l1", 5999}}, 0, 59},              // 59.99 -> 59 (floor)
        {"EUR", {{"l1", 99}, {"l2", 99}, {"l3", 99}}, 0, 2},  // rounded once per order, not per line
        {"EUR", {{"l1", 10000}}, 2550, 74},          // order discount comes off the base
        {"JPY", {{"l1", 500}}, 0, 500},              // 0 decimals
        {"KWD", {{"l1", 1250}}, 0, 1},               // 3 decimals: 1.250 -> 1
        {"KWD", {{"l1", 999}}, 0, 0},                // 0.999 -> 0
    };
    for (const auto& c : cases) {
        CAPTURE(c.currency);
        EngineHarness h;
        const Order o = make_order("1", c.currency, c.lines, c.discount, 2500, 4900);
        h.deliver(order_event(EventType::order_paid, "paid", t0, o), t0);
        CHECK(h.balance().pending == c.points);
        CHECK(h.balance().available == 0);
        std::int64_t per_line_sum = 0;
        for (const auto& e : h.entries()) {
            CHECK(e.kind == EntryKind::earn_pending);
            CHECK(e.rule_version == 1);
            CHECK(e.rounding == Rounding::floor);
            per_line_sum += e.pending_delta;
        }
        CHECK(per_line_sum == c.points);
    }
}

TEST_CASE("a shop's rate per currency and half_up rounding are recorded on each entry") {
    Rules rules;
    rules.currency_rates["JPY"] = EarnRate{1, 100};
    rules.earn_rounding = Rounding::half_up;
    EngineHarness h(rules);
    h.deliver(order_event(EventType::order_paid, "paid", t0, make_order("1", "JPY", {{"l1", 1550}})), t0);
    REQUIRE(h.entries().size() == 1);
    CHECK(h.entries()[0].pending_delta == 16);
    CHECK(h.entries()[0].rate == "1 per 100 JPY");
    CHECK(h.entries()[0].rounding == Rounding::half_up);
}

TEST_CASE("pending points become available after the pending period, not before") {
    EngineHarness h;
    const Order o = make_order("1", "NOK", {{"l1", 39800}});
    run_table(h, {
        {order_event(EventType::order_placed, "placed", t0 - 60, o), t0, 0, 0},
        {order_event(EventType::order_paid, "paid", t0, o), t0, 0, 398},
        {order_event(EventType::order_completed, "done", t0 + day, o), t0 + day, 0, 398},
    });
    h.tick(t0 + 14 * day - 1);
    CHECK(h.balance().pending == 398);
    h.tick(t0 + 14 * day);
    CHECK(h.balance().available == 398);
    CHECK(h.balance().pending == 0);
}

TEST_CASE("in on_completion mode points are released when the order completes") {
    Rules rules;
    rules.pending_mode = PendingMode::on_completion;
    EngineHarness h(rules);
    const Order o = make_order("1", "NOK", {{"l1", 39800}});
    run_table(h, {
        {order_event(EventType::order_paid, "paid", t0, o), t0 + 30 * day, 0, 398},
        {order_event(EventType::order_completed, "done", t0 + day, o), t0 + 30 * day, 398, 0},
    });
}

TEST_CASE("partial refunds claw back only the refunded lines' share and sum to the whole") {
    EngineHarness h;
    const Order o = make_order("1", "EUR", {{"a", 3333}, {"b", 6667}});  // 100.00 -> 100 points
    run_table(h, {
        {order_event(EventType::order_paid, "paid", t0, o), t0, 0, 100},
        {refund_event("r1", t0 + 60, o, Refund{"r1", 1111, {{"a", 1, 1111}}}), t0, 0, 89},
        {refund_event("r2", t0 + 120, o, Refund{"r2", 1111, {{"a", 1, 1111}}}), t0, 0, 78},
        {refund_event("r3", t0 + 180, o, Refund{"r3", 1111, {{"a", 1, 1111}}}), t0, 0, 67},
        {refund_event("r4", t0 + 240, o, Refund{"r4", 6667, {{"b", 1, 6667}}}), t0, 0, 0},
    });
    for (const auto& e : h.entries()) {
        if (e.kind == EntryKind::claw_back) CHECK(e.refers_to == "shop1:order:1:earn:" + e.line_id);
    }
}

TEST_CASE("an amount-only refund claws back its share of the order total") {
    EngineHarness h;
    // 200.00 goods + 50.00 tax = 250.00; refunding 125.00 is half the order -> half the points.
    const Order o = make_order("1", "EUR", {{"a", 10000}, {"b", 10000}}, 0, 5000, 0);
    run_table(h, {
        {order_event(EventType::order_paid, "paid", t0, o), t0, 0, 200},
        {refund_event("r1", t0 + 60, o, Refund{"r1", 12500, {}}), t0, 0, 100},
    });
}

TEST_CASE("a full refund takes back the whole award, rounding rests included") {
    EngineHarness h;
    // Three lines of 33.33: 99 points spread 33/33/33; refunding everything takes all 99 back.
    const Order o = make_order("1", "EUR", {{"a", 3333}, {"b", 3333}, {"c", 3334}}, 0, 1000, 500);
    run_table(h, {
        {order_event(EventType::order_paid, "paid", t0, o), t0, 0, 100},
        {refund_event("r1", t0 + 60, o, Refund{"r1", 2000, {}}), t0, 0, 85},
        {refund_event("r2", t0 + 120, o, Refund{"r2", o.total_minor - 2000, {}}), t0, 0, 0},
    });
    std::int64_t taken = 0;
    for (const auto& e : h.entries()) {
        if (e.kind == EntryKind::claw_back || e.kind == EntryKind::reverse) taken -= e.pending_delta;
    }
    CHECK(taken == 100);
    CHECK(h.conflicts() == 0);
}

TEST_CASE("refunds give the same entries whichever order they arrive in") {
    const Order o = make_order("1", "EUR", {{"a", 3333}, {"b", 6667}});
    const auto paid = order_event(EventType::order_paid, "paid", t0, o);
    const auto r1 = refund_event("r1", t0 + 60, o, Refund{"r1", 1111, {{"a", 1, 1111}}});
    const auto r2 = refund_event("r2", t0 + 120, o, Refund{"r2", 1111, {{"a", 1, 1111}}});
    const auto r3 = refund_event("r3", t0 + 180, o, Refund{"r3", 3000, {}});
    EngineHarness in_order, reversed;
    for (const auto& e : {paid, r1, r2, r3}) in_order.deliver(e, t0 + 200);
    for (const auto& e : {r3, r2, paid, r1}) reversed.deliver(e, t0 + 200);
    CHECK(in_order.by_key() == reversed.by_key());
    CHECK(reversed.conflicts() == 0);
}

TEST_CASE("a refund arriving before paid is applied once the order is paid") {
    const Order o = make_order("1", "EUR", {{"a", 5000}, {"b", 5000}});
    EngineHarness h;
    run_table(h, {
        {refund_event("r1", t0 + 60, o, Refund{"r1", 5000, {{"a", 1, 5000}}}), t0 + 60, 0, 0},
        {order_event(EventType::order_paid, "paid", t0, o), t0 + 60, 0, 50},
    });
    EngineHarness in_order;
    in_order.deliver(order_event(EventType::order_paid, "paid", t0, o), t0 + 60);
    in_order.deliver(refund_event("r1", t0 + 60, o, Refund{"r1", 5000, {{"a", 1, 5000}}}), t0 + 60);
    CHECK(h.by_key() == in_order.by_key());
}

TEST_CASE("a cancellation after points were released takes them back from available") {
    EngineHarness h;
    const Order o = make_order("1", "NOK", {{"l1", 39800}});
    run_table(h, {
        {order_event(EventType::order_paid, "paid", t0, o), t0, 0, 398},
        {order_event(EventType::order_cancelled, "cancel", t0 + 20 * day, o), t0 + 20 * day, 0, 0},
    });
    // The release at day 14 happened before the cancellation at day 20.
    REQUIRE(h.entries().size() == 3);
    CHECK(h.entries()[1].kind == EntryKind::release);
    CHECK(h.entries()[2].kind == EntryKind::reverse);
    CHECK(h.entries()[2].available_delta == -398);
}

TEST_CASE("a cancellation before release means the points never become available") {
    EngineHarness h;
    const Order o = make_order("1", "NOK", {{"l1", 39800}});
    run_table(h, {
        {order_event(EventType::order_paid, "paid", t0, o), t0, 0, 398},
        {order_event(EventType::order_cancelled, "cancel", t0 + day, o), t0 + day, 0, 0},
    });
    h.tick(t0 + 30 * day);
    CHECK(h.balance().available == 0);
    CHECK(h.entries().size() == 2);
}

TEST_CASE("a refund stored before a cancellation that precedes it in business time still nets the order to zero") {
    // The refund is delivered first; the cancellation arrives later but happened earlier, so the
    // walk voids the order before it reaches the refund. The reversal must count the frozen claw.
    EngineHarness h;
    const Order o = make_order("1", "EUR", {{"a", 5000}, {"b", 5000}});
    h.deliver(order_event(EventType::order_paid, "paid", t0, o), t0);
    h.deliver(refund_event("late-refund", t0 + 2 * day, o, Refund{"r1", 5000, {{"a", 1, 5000}}}), t0 + 2 * day);
    CHECK(h.balance().pending == 50);
    h.deliver(order_event(EventType::order_cancelled, "cancel", t0 + day, o), t0 + 3 * day);
    CHECK(h.balance().pending == 0);
    CHECK(h.balance().available == 0);
    h.tick(t0 + 30 * day);
    CHECK(h.balance().available == 0);
    CHECK(h.conflicts() == 0);
}

TEST_CASE("a refund after release claws back from available points") {
    EngineHarness h;
    const Order o = make_order("1", "EUR", {{"a", 5000}, {"b", 5000}});
    h.deliver(order_event(EventType::order_paid, "paid", t0, o), t0);
    h.tick(t0 + 15 * day);
    h.deliver(refund_event("r1", t0 + 16 * day, o, Refund{"r1", 5000, {{"b", 1, 5000}}}), t0 + 16 * day);
    CHECK(h.balance().available == 50);
    CHECK(h.balance().pending == 0);
}

TEST_CASE("every event applied twice gives the same ledger as applying it once") {
    const Order o = make_order("1", "EUR", {{"a", 3000}, {"b", 7000}}, 500, 2000, 490);
    const std::vector<Event> events{
        order_event(EventType::order_placed, "placed", t0 - 10, o),
        order_event(EventType::order_paid, "paid", t0, o),
        refund_event("r1", t0 + 100, o, Refund{"r1", 1500, {{"a", 1, 1500}}}),
        refund_event("r2", t0 + 200, o, Refund{"r2", 2000, {}}),
        order_event(EventType::order_completed, "done", t0 + 300, o),
    };
    EngineHarness once, twice;
    for (const auto& e : events) once.deliver(e, t0 + 400);
    for (const auto& e : events) {
        twice.deliver(e, t0 + 400);
        twice.deliver(e, t0 + 400);
    }
    CHECK(once.by_key() == twice.by_key());
    CHECK(once.entries().size() == twice.entries().size());
    CHECK(twice.conflicts() == 0);
}

TEST_CASE("an order with neither e-mail nor customer id earns nothing") {
    EngineHarness h;
    Order o = make_order("1", "EUR", {{"a", 5000}});
    o.customer = {};
    h.deliver(order_event(EventType::order_paid, "paid", t0, o), t0);
    CHECK(h.entries().empty());
}

TEST_CASE("a manual adjustment is one available entry with its reason") {
    EngineHarness h;
    Event adjust;
    adjust.shop_id = "manual";
    adjust.id = "adj-1";
    adjust.type = EventType::points_adjusted;
    adjust.occurred_at = t0;
    adjust.customer = CustomerRef{"", "kari@example.com"};
    adjust.adjustment = Adjustment{-25, "typo in last order"};
    h.deliver(adjust, t0);
    CHECK(h.balance().available == -25);
    CHECK(h.entries()[0].reason == "typo in last order");
    CHECK(h.entries()[0].key == "manual:adjust:adj-1");
}

namespace {

Event trashed(int n, Timestamp at, const Order& o) {
    return order_event(EventType::order_cancelled, "deleted:" + std::to_string(n), at, o);
}

Event restored(Timestamp at, const Order& o) {
    return order_event(EventType::order_restored, "restored:" + format_timestamp(at), at, o);
}

std::int64_t spend_milli(const std::vector<LedgerEntry>& entries) {
    std::int64_t sum = 0;
    for (const auto& f : spend_from_entries(entries)) sum += f.milli;
    return sum;
}

}  // namespace

TEST_CASE("trash, restore, trash again: each transition reverses or re-earns exactly once") {
    EngineHarness h;
    const Order o = make_order("1", "NOK", {{"l1", 29800}, {"l2", 10000}});
    run_table(h, {
        {order_event(EventType::order_paid, "paid", t0, o), t0, 0, 398},
        {trashed(1, t0 + day, o), t0 + day, 0, 0},
        {restored(t0 + 2 * day, o), t0 + 2 * day, 0, 398},
        {restored(t0 + 2 * day, o), t0 + 2 * day, 0, 398},    // the same restore again
        {trashed(1, t0 + day, o), t0 + 2 * day, 0, 398},      // the first trash again
        {order_event(EventType::order_paid, "paid", t0, o), t0 + 2 * day, 0, 398},  // a full snapshot again
        {trashed(2, t0 + 3 * day, o), t0 + 3 * day, 0, 0},
        {trashed(2, t0 + 3 * day, o), t0 + 3 * day, 0, 0},
        {restored(t0 + 4 * day, o), t0 + 4 * day, 0, 398},
        {restored(t0 + 2 * day, o), t0 + 5 * day, 0, 398},
    });
    h.tick(t0 + 15 * day);  // released 14 days after paid, as if never trashed
    CHECK(h.balance().available == 398);
    CHECK(h.balance().pending == 0);
    const auto ledger = h.by_key();
    CHECK(ledger.at("shop1:order:1:reverse").pending_delta == -398);
    CHECK(ledger.at("shop1:order:1:reverse").event_id == "deleted:1");
    CHECK(ledger.at("shop1:order:1:earn:l1:restore:1").pending_delta == 298);
    CHECK(ledger.at("shop1:order:1:earn:l2:restore:1").pending_delta == 100);
    CHECK(ledger.at("shop1:order:1:earn:l1:restore:1").event_id == "restored:" + format_timestamp(t0 + 2 * day));
    CHECK(ledger.at("shop1:order:1:earn:l1:restore:1").refers_to == "shop1:order:1:earn:l1");
    CHECK(ledger.at("shop1:order:1:restore:1:reverse").pending_delta == -398);
    CHECK(ledger.at("shop1:order:1:earn:l1:restore:2").refers_to == "shop1:order:1:earn:l1:restore:1");
    CHECK(ledger.at("shop1:order:1:release").available_delta == 398);
    CHECK(ledger.at("shop1:order:1:release").effective_at == t0 + 14 * day);
    CHECK(h.entries().size() == 9);  // 2 earn, reverse, 2 re-earn, reverse, 2 re-earn, release
    CHECK(h.conflicts() == 0);
    CHECK(spend_milli(h.entries()) == 398000);  // tiers count the order once again
}

TEST_CASE("a restore brings points back to the bucket their dates say") {
    SUBCASE("released before the trash: available again at once") {
        EngineHarness h;
        const Order o = make_order("1", "NOK", {{"l1", 39800}});
        run_table(h, {
            {order_event(EventType::order_paid, "paid", t0, o), t0 + 15 * day, 398, 0},
            {trashed(1, t0 + 20 * day, o), t0 + 20 * day, 0, 0},
            {restored(t0 + 21 * day, o), t0 + 21 * day, 398, 0},
            {trashed(2, t0 + 22 * day, o), t0 + 22 * day, 0, 0},
        });
        CHECK(h.by_key().at("shop1:order:1:earn:l1:restore:1").available_delta == 398);
        CHECK(spend_milli(h.entries()) == 0);
    }
    SUBCASE("trashed while pending, restored after the release date: released at the restore") {
        EngineHarness h;
        const Order o = make_order("1", "NOK", {{"l1", 39800}});
        run_table(h, {
            {order_event(EventType::order_paid, "paid", t0, o), t0, 0, 398},
            {trashed(1, t0 + day, o), t0 + 20 * day, 0, 0},
            {restored(t0 + 20 * day, o), t0 + 20 * day, 398, 0},
        });
        CHECK(h.by_key().at("shop1:order:1:release").effective_at == t0 + 20 * day);
    }
    SUBCASE("a refund after the restore claws back from the restored points") {
        EngineHarness h;
        const Order o = make_order("1", "EUR", {{"a", 5000}, {"b", 5000}});
        run_table(h, {
            {order_event(EventType::order_paid, "paid", t0, o), t0, 0, 100},
            {trashed(1, t0 + day, o), t0 + day, 0, 0},
            {restored(t0 + 2 * day, o), t0 + 2 * day, 0, 100},
            {refund_event("r1", t0 + 3 * day, o, Refund{"r1", 5000, {{"b", 1, 5000}}}), t0 + 3 * day, 0, 50},
            {trashed(2, t0 + 4 * day, o), t0 + 4 * day, 0, 0},
        });
        CHECK(h.by_key().at("shop1:order:1:refund:r1:line:b").refers_to == "shop1:order:1:earn:b:restore:1");
        CHECK(spend_milli(h.entries()) == 0);
    }
    SUBCASE("a restore after a full refund changes nothing: only a cancellation is undone") {
        EngineHarness h;
        const Order o = make_order("1", "EUR", {{"a", 5000}});
        run_table(h, {
            {order_event(EventType::order_paid, "paid", t0, o), t0, 0, 50},
            {refund_event("r1", t0 + day, o, Refund{"r1", 5000, {}}), t0 + day, 0, 0},
            {trashed(1, t0 + 2 * day, o), t0 + 2 * day, 0, 0},
            {restored(t0 + 3 * day, o), t0 + 3 * day, 0, 0},
        });
    }
}

// Trashes are numbered by arrival (the n-th order.deleted delivery is "deleted:<n>") and restores
// are paired with them by count, so deliveries can come in any order in which the n-th trash
// precedes the (n+1)-th and the n-th restore precedes the (n+1)-th.
TEST_CASE("trash and restore give the same ledger in every delivery order, repeats included") {
    const Order o = make_order("1", "EUR", {{"a", 3000}, {"b", 7000}});
    std::vector<Event> events{
        order_event(EventType::order_paid, "paid", t0, o),
        trashed(1, t0 + day, o),
        restored(t0 + 2 * day, o),
        trashed(2, t0 + 3 * day, o),
        restored(t0 + 4 * day, o),
    };
    const std::vector<std::string> events_restored{events[2].id, events[4].id};
    EngineHarness orderly;
    for (const auto& e : events) orderly.deliver(e, t0 + 5 * day);
    CHECK(orderly.balance().pending == 100);
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.id < b.id; });
    const auto position = [&](const std::string& id) {
        return std::find_if(events.begin(), events.end(), [&](const Event& e) { return e.id == id; }) - events.begin();
    };
    int permutations = 0;
    do {
        if (position("deleted:2") < position("deleted:1")) continue;
        if (position(events_restored[1]) < position(events_restored[0])) continue;
        EngineHarness h;
        for (const auto& e : events) {
            h.deliver(e, t0 + 5 * day);
            h.deliver(e, t0 + 5 * day);
        }
        ++permutations;
        CAPTURE(permutations);
        CHECK(h.by_key() == orderly.by_key());
        CHECK(h.conflicts() == 0);
    } while (std::next_permutation(events.begin(), events.end(),
                                   [](const Event& a, const Event& b) { return a.id < b.id; }));
    CHECK(permutations == 30);
}
