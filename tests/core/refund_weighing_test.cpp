// Refunds the order's own lines do not describe: an amount-only refund given in the buyer's
// currency (a Shopify Markets order: the shop's money is USD, the buyer paid JPY), and a refund of a
// line that earned nothing (a gift card bought). Each takes back what it is worth in the order's
// currency, never what its bare number would be.
#include <doctest/doctest.h>

#include "core/engine_harness.hpp"

using namespace rewardd;
using namespace rewardd::test;

namespace {

constexpr Timestamp t0 = 1795341600;  // 2026-11-22T10:00:00Z

// 200.00 USD of goods and 50.00 of tax (200 points), which the buyer paid as 37,500 JPY.
Order order_paid_in_yen() {
    Order o = make_order("1", "USD", {{"a", 10000}, {"b", 10000}}, 0, 5000, 0);
    o.presentment = Order::Presentment{"JPY", 37500};
    return o;
}

// A refunds/create body in the buyer's money: the stub order names the currency the amount is in.
Event yen_refund(const std::string& id, Timestamp at, std::int64_t yen) {
    Order stub;
    stub.id = "1";
    stub.currency = "JPY";
    return refund_event(id, at, stub, Refund{id, yen, {}});
}

std::int64_t points(const EngineHarness& h) {
    const auto b = h.balance();
    return b.available + b.pending;
}

}  // namespace

TEST_CASE("an amount-only refund in the buyer's currency is weighed at the order's own rate") {
    EngineHarness h;
    h.deliver(order_event(EventType::order_paid, "paid", t0, order_paid_in_yen()), t0);
    REQUIRE(points(h) == 200);
    // 18,750 JPY is half of what the buyer paid: half the points. Taken as 187.50 USD it would
    // have been three quarters of the order.
    const auto added = h.deliver(yen_refund("r1", t0 + 60, 18750), t0 + 60);
    CHECK(points(h) == 100);
    REQUIRE_FALSE(added.empty());
    CHECK(added.front().reason == "refund r1 (18750 JPY at the order's 37500 JPY = 25000 USD)");
    CHECK(h.unweighed() == 0);
}

TEST_CASE("the same refund told in the order's snapshot, with its currency on the refund, weighs the same") {
    EngineHarness stub, snapshot;
    const Order o = order_paid_in_yen();
    for (auto* h : {&stub, &snapshot}) h->deliver(order_event(EventType::order_paid, "paid", t0, o), t0);
    stub.deliver(yen_refund("r1", t0 + 60, 12000), t0 + 60);
    snapshot.deliver(refund_event("r1", t0 + 60, o, Refund{"r1", 12000, {}, "JPY"}), t0 + 60);
    CHECK(points(stub) == points(snapshot));
    CHECK(stub.by_key() == snapshot.by_key());
}

TEST_CASE("refunds in the buyer's currency that add up to all they paid take back the whole award") {
    EngineHarness h;
    h.deliver(order_event(EventType::order_paid, "paid", t0, order_paid_in_yen()), t0);
    // Weighed one by one and rounded down, 12,500 and 25,000 JPY are 83.33 and 166.66 USD: one
    // cent short of the order, yet everything the buyer paid came back.
    h.deliver(yen_refund("r1", t0 + 60, 12500), t0 + 60);
    h.deliver(yen_refund("r2", t0 + 120, 25000), t0 + 120);
    CHECK(points(h) == 0);
    CHECK(h.conflicts() == 0);
}

TEST_CASE("a refund in a currency the order tells no rate for takes nothing back and is reported") {
    EngineHarness h;
    Order o = order_paid_in_yen();
    o.presentment.reset();  // an order stored before rewardd kept the buyer's total
    h.deliver(order_event(EventType::order_paid, "paid", t0, o), t0);
    h.deliver(yen_refund("r1", t0 + 60, 18750), t0 + 60);
    CHECK(points(h) == 200);
    CHECK(h.unweighed() > 0);
    // A refund with lines says what it refunded in the order's money, whatever its amount is in.
    h.deliver(refund_event("r2", t0 + 120, o, Refund{"r2", 9000, {{"a", 1, 10000}}, "JPY"}), t0 + 120);
    CHECK(points(h) == 100);
}

TEST_CASE("refunding a gift card bought with the order takes no points from the other lines") {
    EngineHarness h;
    // 50.00 of goods earn 50 points; the 50.00 gift card beside them earns nothing.
    Order o = make_order("1", "EUR", {{"a", 5000}});
    o.non_earning_lines = {"gc"};
    o.total_minor += 5000;
    h.deliver(order_event(EventType::order_paid, "paid", t0, o), t0);
    REQUIRE(points(h) == 50);
    h.deliver(refund_event("r1", t0 + 60, o, Refund{"r1", 5000, {{"gc", 1, 5000}}}), t0 + 60);
    CHECK(points(h) == 50);
    h.deliver(refund_event("r2", t0 + 120, o, Refund{"r2", 5000, {{"a", 1, 5000}}}), t0 + 120);
    CHECK(points(h) == 0);
}

TEST_CASE("shipping given back takes no points: an amount-only refund weighs only what is left beside it") {
    EngineHarness h;
    // 200.00 of goods (200 points) and 10.00 of shipping: 210.00.
    const Order o = make_order("1", "EUR", {{"a", 10000}, {"b", 10000}}, 0, 0, 1000);
    h.deliver(order_event(EventType::order_paid, "paid", t0, o), t0);
    Refund shipping_only{"r1", 1000, {}};
    shipping_only.shipping_minor = 1000;
    h.deliver(refund_event("r1", t0 + 60, o, shipping_only), t0 + 60);
    CHECK(points(h) == 200);
    // 110.50 back, 10.50 of it shipping: 100.00 of the order's 210.00 is weighed, 95.23 of goods,
    // 47.61 and 47.62 of the two lines: 47 points from each (rounded down per line). Without the
    // shipping part it would have been 52 from each.
    Refund with_shipping{"r2", 11050, {}};
    with_shipping.shipping_minor = 1050;
    h.deliver(refund_event("r2", t0 + 120, o, with_shipping), t0 + 120);
    CHECK(points(h) == 200 - 94);
}

TEST_CASE("fees given back take no points either: an amount-only refund weighs what is left beside fees and shipping") {
    EngineHarness h;
    // 200.00 of goods (200 points), 10.00 of shipping and a 15.00 fee (gift wrap, say): 225.00.
    Order o = make_order("1", "EUR", {{"a", 10000}, {"b", 10000}}, 0, 0, 1000);
    o.total_minor += 1500;
    h.deliver(order_event(EventType::order_paid, "paid", t0, o), t0);
    Refund fee_only{"r1", 1500, {}};
    fee_only.fees_minor = 1500;
    h.deliver(refund_event("r1", t0 + 60, o, fee_only), t0 + 60);
    CHECK(points(h) == 200);
    // 137.50 back, 15.00 of it the fee and 10.00 shipping: 112.50 of the order's 225.00 is weighed,
    // 100.00 of goods, 50.00 of each line: 50 points from each. With the fee weighed too it would
    // have been 56 and 56.
    Refund mixed{"r2", 13750, {}};
    mixed.shipping_minor = 1000;
    mixed.fees_minor = 1500;
    h.deliver(refund_event("r2", t0 + 120, o, mixed), t0 + 120);
    CHECK(points(h) == 200 - 100);
}

TEST_CASE("a refund an earlier rewardd took back, that can no longer be weighed, keeps its entries and releases the rest") {
    RewardEngine engine(RuleBook({Rules{}}));
    Order o = order_paid_in_yen();
    o.presentment.reset();  // stored before rewardd kept the buyer's total
    const Event paid = order_event(EventType::order_paid, "paid", t0, o);
    // What an earlier rewardd wrote for the yen refund: its number read as the order's money.
    Order read_as_usd;
    read_as_usd.id = "1";
    read_as_usd.currency = "USD";
    const auto before = engine.apply_order({paid, refund_event("r1", t0 + 60, read_as_usd, Refund{"r1", 18750, {}})},
                                           {}, t0 + 60);
    std::vector<LedgerEntry> ledger = before.new_entries;
    // The same stored events, as they were (the stub order in yen), walked again at release time.
    const auto after =
        engine.apply_order({paid, yen_refund("r1", t0 + 60, 18750)}, ledger, t0 + 60 * k_seconds_per_day);
    CHECK_FALSE(after.unweighed_refunds.empty());
    ledger.insert(ledger.end(), after.new_entries.begin(), after.new_entries.end());
    Balance b;
    for (const auto& e : ledger) add_to_balance(b, e);
    CHECK(b.pending == 0);
    CHECK(b.available == 200 - 150);  // 187.50 of 250.00 read as shop money took three quarters
}

TEST_CASE("an order paid before rewardd kept the buyer's total learns it from a later snapshot's refund") {
    EngineHarness h;
    Order stored_before = order_paid_in_yen();
    stored_before.presentment.reset();
    h.deliver(order_event(EventType::order_paid, "paid", t0, stored_before), t0);
    // orders/updated after the upgrade: its paid event is a duplicate, its refund carries the order.
    h.deliver(refund_event("r1", t0 + 60, order_paid_in_yen(), Refund{"r1", 18750, {}, "JPY"}), t0 + 60);
    CHECK(points(h) == 100);
    CHECK(h.unweighed() == 0);
}
