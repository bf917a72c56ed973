// The rulebook's earning rules as tables: minimum order, product and category multipliers,
// campaigns exact to the second, overlapping campaigns, cashback thresholds and category rates,
// the discounted part, and cashback held, due and reversed with its order.
#include <doctest/doctest.h>

#include "core/earning_plan.hpp"
#include "core/rules_harness.hpp"

using namespace rewardd;
using namespace rewardd::test;

namespace {

constexpr Timestamp k_saturday = 1795824000;  // 2026-11-28T00:00:00Z
constexpr Timestamp k_monday = 1795996800;    // 2026-11-30T00:00:00Z
constexpr Timestamp k_push_start = 1795392000;  // 2026-11-23T00:00:00Z

Rules program() {
    Rules r;
    r.min_order_milli = 100000;  // 100.00
    r.category_multipliers = {{"shoes", 200}, {"socks", 150}};
    r.product_multipliers = {{"gift-card", 0}};
    r.campaigns.push_back({"weekend", k_saturday, k_monday, 200, 0, "", 0});
    r.campaigns.push_back({"push", k_push_start, k_monday, 100, 800, "", 200000});  // 8% over 200
    r.cashback.rate_bp = 500;  // 5% on orders of at least 500
    r.cashback.min_order_milli = 500000;
    r.cashback.category_bp = {{"books", 1000}};
    return r;
}

struct Row {
    const char* what;
    Timestamp paid_at;
    std::vector<OrderLine> lines;
    std::int64_t points;
    std::int64_t cashback_minor;
};

}  // namespace

TEST_CASE("minimum order, multipliers, campaigns to the second and cashback thresholds earn as the table says") {
    const Row rows[] = {
        {"below the minimum order earns nothing", k_t0, {line("l1", 9999)}, 0, 0},
        {"exactly the minimum order earns", k_t0, {line("l1", 10000)}, 100, 0},
        {"a category multiplier doubles its line", k_t0, {line("l1", 15000, {"shoes"})}, 300, 0},
        {"the highest category multiplier wins", k_t0, {line("l1", 10000, {"socks", "shoes"})}, 200, 0},
        {"a product multiplier beats its category", k_t0, {line("l1", 20000, {"shoes"}, "gift-card"), line("l2", 10000)}, 100, 0},
        {"one second before the weekend: no boost", k_saturday - 1, {line("l1", 10000)}, 100, 0},
        {"the weekend's first second: double", k_saturday, {line("l1", 10000)}, 200, 0},
        {"the weekend's last second: double", k_monday - 1, {line("l1", 10000)}, 200, 0},
        {"the instant the weekend ends: no boost", k_monday, {line("l1", 10000)}, 100, 0},
        {"campaign and category multiply", k_saturday, {line("l1", 10000, {"shoes"})}, 400, 0},
        {"cashback just under its threshold", k_t0, {line("l1", 49999)}, 499, 0},
        {"cashback at its threshold", k_t0, {line("l1", 50000)}, 500, 2500},
        {"a category cashback rate beats the base rate", k_t0, {line("l1", 50000), line("l2", 10000, {"books"})}, 600, 3500},
        {"a category cashback rate needs no threshold", k_t0, {line("l1", 10000, {"books"})}, 100, 1000},
        {"cashback push over 200, just under", k_push_start + 3600, {line("l1", 19999)}, 199, 0},
        {"cashback push over 200", k_push_start + 3600, {line("l1", 25000)}, 250, 2000},
        {"the push beats the base rate when both apply", k_push_start + 3600, {line("l1", 60000)}, 600, 4800},
        {"the push ends with its interval", k_monday, {line("l1", 60000)}, 600, 3000},
    };
    for (const auto& row : rows) {
        CAPTURE(row.what);
        RulesHarness h(program());
        const Order o = rules_order("1", row.lines);
        h.deliver(paid("paid", row.paid_at, o), row.paid_at);
        CHECK(h.balance().pending == row.points);
        std::int64_t cashback = 0;
        for (const auto& e : h.of_kind(EntryKind::cashback)) cashback += e.base_minor;
        CHECK(cashback == row.cashback_minor);
    }
}

TEST_CASE("overlapping campaigns do not stack: the highest multiplier and the highest cashback rate win") {
    Rules r;
    r.campaigns.push_back({"double", k_t0 - 10, k_t0 + 10, 200, 300, "", 0});
    r.campaigns.push_back({"triple-shoes", k_t0 - 10, k_t0 + 10, 300, 100, "shoes", 0});
    RulesHarness h(r);
    const Order o = rules_order("1", {line("l1", 10000, {"shoes"}), line("l2", 10000)});
    h.deliver(paid("paid", k_t0, o), k_t0);
    const auto earned = h.of_kind(EntryKind::earn_pending);
    REQUIRE(earned.size() == 2);
    CHECK(earned[0].pending_delta == 300);  // shoes: x3 wins over x2
    CHECK(earned[0].rate == "1 per 1.00 NOK x3 (campaign triple-shoes x3)");
    CHECK(earned[1].pending_delta == 200);  // the other line: only x2 applies
    const auto cashback = h.of_kind(EntryKind::cashback);
    REQUIRE(cashback.size() == 1);
    CHECK(cashback[0].base_minor == 600);  // 3% of both lines: the higher rate of the two
}

TEST_CASE("the shop chooses whether the part paid with a discount earns") {
    for (const auto part : {DiscountedPart::excluded, DiscountedPart::included}) {
        Rules r;
        r.discounted_part = part;
        RulesHarness h(r);
        const Order o = rules_order("1", {line("l1", 20000)}, "kari@example.com", "NOK", 5000);
        h.deliver(paid("paid", k_t0, o), k_t0);
        CHECK(h.balance().pending == (part == DiscountedPart::excluded ? 150 : 200));
    }
}

TEST_CASE("cashback is held with the order's points, falls due at release and is reversed by a full refund first") {
    Rules r;
    r.cashback.rate_bp = 500;
    const Order o = rules_order("1", {line("l1", 60000)});
    {
        RulesHarness h(r);
        h.deliver(paid("paid", k_t0, o), k_t0);
        CHECK(h.of_kind(EntryKind::cashback).size() == 1);
        h.tick(k_t0 + 14 * k_day);
        const auto due = h.of_kind(EntryKind::cashback_due);
        REQUIRE(due.size() == 1);
        CHECK(due[0].base_minor == 3000);
        CHECK(due[0].effective_at == k_t0 + 14 * k_day);
        CHECK(h.balance().available == 600);
    }
    {
        RulesHarness h(r);
        h.deliver(paid("paid", k_t0, o), k_t0);
        h.deliver(full_refund("r1", k_t0 + k_day, o), k_t0 + k_day);
        h.tick(k_t0 + 20 * k_day);
        const auto reversed = h.of_kind(EntryKind::cashback_reverse);
        REQUIRE(reversed.size() == 1);
        CHECK(reversed[0].base_minor == 3000);
        CHECK(h.of_kind(EntryKind::cashback_due).empty());
        CHECK(h.balance() == Balance{});
    }
}

TEST_CASE("an order cancelled before its release stays void when a refund of it comes after the release date") {
    // A WooCommerce cancellation does not refund: the shop often refunds the money days later.
    // The walk puts the cancellation after that refund; the points must still never be released
    // nor the cashback fall due, whether the cancellation was delivered on time or late.
    Rules r;
    r.cashback.rate_bp = 500;
    const Order o = rules_order("1", {line("l1", 60000)});
    const Event cancel = rules_event(EventType::order_cancelled, "cancel", k_t0 + 5 * k_day, o);
    const Event refund = full_refund("r1", k_t0 + 20 * k_day, o);
    for (const Timestamp cancel_delivered : {k_t0 + 5 * k_day, k_t0 + 20 * k_day}) {
        CAPTURE(cancel_delivered - k_t0);
        RulesHarness h(r);
        h.deliver(paid("paid", k_t0, o), k_t0);
        h.deliver(cancel, cancel_delivered);
        h.deliver(refund, k_t0 + 20 * k_day);
        h.tick(k_t0 + 60 * k_day);
        CHECK(h.of_kind(EntryKind::release).empty());
        CHECK(h.of_kind(EntryKind::cashback_due).empty());
        CHECK(h.of_kind(EntryKind::cashback_reverse).size() == 1);
        CHECK(h.balance() == Balance{});
        CHECK(h.conflicts() == 0);
    }
    // Delivered after the release was recorded (and after the refund), the cancellation cannot
    // undo the release: the ledger stays as the refund left it.
    RulesHarness h(r);
    h.deliver(paid("paid", k_t0, o), k_t0);
    h.deliver(refund, k_t0 + 20 * k_day);
    const auto before = h.entries();
    h.deliver(cancel, k_t0 + 21 * k_day);
    h.tick(k_t0 + 60 * k_day);
    CHECK(h.entries().size() == before.size());
    CHECK(h.of_kind(EntryKind::cashback_due).size() == 1);
    CHECK(h.balance() == Balance{});
    CHECK(h.conflicts() == 0);
}

TEST_CASE("rules without any program settings earn exactly as the foundation did") {
    RulesHarness h(Rules{});
    const Order o = rules_order("1", {line("l1", 99, {"shoes"}), line("l2", 99), line("l3", 99)}, "kari@example.com", "EUR");
    h.deliver(paid("paid", k_t0, o), k_t0);
    CHECK(h.balance().pending == 2);
    for (const auto& e : h.entries()) CHECK(e.rate == "1 per 1.00 EUR");
}

TEST_CASE("percent factors and basis points are formatted without trailing zeros") {
    CHECK(format_percent_factor(150) == "1.5");
    CHECK(format_percent_factor(200) == "2");
    CHECK(format_bp(850) == "8.5%");
}

namespace {

constexpr Timestamp k_change = k_t0 + 10 * k_day;  // rules version 2 is in force from this instant

// v1: 1 point per 1.00, released after 14 days; v2 from k_change: 2 points per 1.00, 7 days, and
// a 5% cashback (no threshold).
RuleBook two_versions() {
    Rules v1;
    Rules v2;
    v2.version = 2;
    v2.effective_from = k_change;
    v2.earn_rate = {2, 1};
    v2.pending_days = 7;
    v2.cashback.rate_bp = 500;
    return RuleBook({v1, v2});
}

struct VersionRow {
    const char* what;
    Event event;
    std::int64_t pending_change;  // the row's effect on the pending balance
    int rule_version;             // every entry the row writes records this version
};

}  // namespace

TEST_CASE("a rules change mid-history: entries keep the version in force at their fact, and a replay is equal") {
    const Order a = rules_order("a", {line("l1", 10000)});
    const Order b = rules_order("b", {line("l1", 10000)});
    const Order c = rules_order("c", {line("l1", 10000)});
    const std::vector<VersionRow> rows{
        {"paid under v1: 1 per 1.00", paid("a-paid", k_t0, a), 100, 1},
        {"paid the last second of v1", paid("b-paid", k_change - 1, b), 100, 1},
        {"paid the first second of v2: 2 per 1.00", paid("c-paid", k_change, c), 200, 2},
        {"a refunded under v2 takes back what v1 gave", full_refund("a-refund", k_change + k_day, a), -100, 1},
        {"b delivered again: nothing new", paid("b-paid", k_change - 1, b), 0, 1},
    };
    RulesHarness h(two_versions());
    for (const auto& row : rows) {
        CAPTURE(row.what);
        const std::int64_t before = h.balance().pending;
        const auto written = h.deliver(row.event, row.event.occurred_at);
        CHECK(h.balance().pending - before == row.pending_change);
        for (const auto& e : written) {
            CAPTURE(e.key);
            CHECK(e.rule_version == row.rule_version);
        }
    }
    CHECK(h.of_kind(EntryKind::cashback).size() == 1);  // only c, paid under v2
    const Timestamp end = k_change + 30 * k_day;
    h.tick(end);
    const auto by_key = h.by_key();
    CHECK(by_key.at("shop1:order:b:release").effective_at == k_change - 1 + 14 * k_day);  // v1's 14 days
    CHECK(by_key.at("shop1:order:c:release").effective_at == k_change + 7 * k_day);       // v2's 7 days
    CHECK(h.balance().available == 300);

    // The same events delivered late, newest first, with one check at the end: the same ledger.
    RulesHarness replay(two_versions());
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) replay.deliver(it->event, end);
    replay.tick(end);
    CHECK(replay.by_key() == by_key);
    CHECK(replay.conflicts() == 0);
    CHECK(h.conflicts() == 0);
}
