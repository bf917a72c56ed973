// Tier settlement as a table: an order's tier comes from the spend before its payment, and a late
// earlier order or refund changes it after the order earned. Each row delivers the same business
// facts in a late order and in business order; the late one settles at the order's release
// (":earn:<l>:settle", the exact difference) and ends with the in-order balance; the in-order
// delivery never settles. A refund after the settlement takes its share of the settled points.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>

#include "core/rules_harness.hpp"

using namespace rewardd;
using namespace rewardd::test;

namespace {

Rules bronze_silver() {
    Rules r;
    r.tiers = {{"bronze", 0, 100}, {"silver", 1000000, 150}};  // silver from 1000.00 spend, x1.5
    return r;
}

Event refund_of(const std::string& id, Timestamp at, const Order& order, std::int64_t amount) {
    Event e = rules_event(EventType::order_refunded, id, at, order);
    e.refund = Refund{id, amount, {}};
    return e;
}

struct Delivery {
    Event event;
    Timestamp at;  // received
};

// Delivers each event when received, releasing what falls due in between, as the daemon does.
std::unique_ptr<RulesHarness> run(const std::vector<Delivery>& deliveries, Timestamp end) {
    auto h = std::make_unique<RulesHarness>(bronze_silver());
    for (const auto& d : deliveries) {
        h->tick(d.at);
        h->deliver(d.event, d.at);
    }
    h->tick(end);
    return h;
}

std::vector<Delivery> in_business_order(std::vector<Delivery> deliveries) {
    std::stable_sort(deliveries.begin(), deliveries.end(), [](const Delivery& a, const Delivery& b) {
        return a.event.occurred_at < b.event.occurred_at;
    });
    for (auto& d : deliveries) d.at = d.event.occurred_at;
    return deliveries;
}

std::vector<LedgerEntry> settlements(const RulesHarness& h) {
    std::vector<LedgerEntry> out;
    for (const auto& e : h.of_kind(EntryKind::earn_pending)) {
        if (e.key.ends_with(":settle")) out.push_back(e);
    }
    return out;
}

}  // namespace

TEST_CASE("a late earlier order or refund settles the tier's difference at release, as in business order") {
    const Order a = rules_order("a", {line("l1", 100000)});  // 1000.00: silver for what follows
    const Order b = rules_order("b", {line("l1", 60000), line("l2", 40000)});
    const Timestamp b_paid = k_t0 + k_day;
    const Timestamp b_release = b_paid + 14 * k_day;
    struct Row {
        const char* what;
        std::vector<Delivery> late;           // b's facts first, a's after them
        std::vector<std::int64_t> settled;    // per line of b, at b's release
        std::string reason;
        std::int64_t available;               // a and b, once everything is released
    };
    const std::vector<Row> rows = {
        {"a, paid first, arrives after b earned at bronze: b settles up to silver",
         {{paid("b-paid", b_paid, b), b_paid}, {paid("a-paid", k_t0, a), b_paid + 2 * k_day}},
         {300, 200}, "tier bronze -> silver: an earlier order, refund or cancellation arrived late", 1000 + 1500},
        {"b's half refund before release took half of bronze; the settlement makes it half of silver",
         {{paid("b-paid", b_paid, b), b_paid},
          {refund_of("b-r1", b_paid + 3 * k_day, b, 50000), b_paid + 3 * k_day},
          {paid("a-paid", k_t0, a), b_paid + 4 * k_day}},
         {150, 100}, "tier bronze -> silver: an earlier order, refund or cancellation arrived late", 1000 + 750},
        {"b's half refund after the settlement takes half of silver",
         {{paid("b-paid", b_paid, b), b_paid}, {paid("a-paid", k_t0, a), b_paid + 2 * k_day},
          {refund_of("b-r1", b_release + 5 * k_day, b, 50000), b_release + 5 * k_day}},
         {300, 200}, "tier bronze -> silver: an earlier order, refund or cancellation arrived late", 1000 + 750},
        {"a's full refund before b was paid arrives after b earned at silver: b settles down to bronze",
         {{paid("a-paid", k_t0, a), k_t0}, {paid("b-paid", b_paid, b), b_paid},
          {full_refund("a-r1", b_paid - k_day / 2, a), b_paid + k_day}},
         {-300, -200}, "tier silver -> bronze: an earlier order, refund or cancellation arrived late", 1000},
    };
    const Timestamp end = k_t0 + 60 * k_day;
    for (const auto& row : rows) {
        CAPTURE(row.what);
        const auto late = run(row.late, end);
        const auto ordered = run(in_business_order(row.late), end);
        CHECK(settlements(*ordered).empty());
        CHECK(ordered->conflicts() == 0);
        CHECK(late->conflicts() == 0);

        const auto settled = settlements(*late);
        REQUIRE(settled.size() == row.settled.size());
        for (std::size_t i = 0; i < settled.size(); ++i) {
            const std::string line_id = "l" + std::to_string(i + 1);
            CHECK(settled[i].key == "shop1:order:b:earn:" + line_id + ":settle");
            CHECK(settled[i].pending_delta == row.settled[i]);
            CHECK(settled[i].available_delta == 0);
            CHECK(settled[i].effective_at == b_release);
            CHECK(settled[i].refers_to == "shop1:order:b:earn:" + line_id);
            CHECK(settled[i].reason == row.reason);
        }
        CHECK(late->balance() == ordered->balance());
        CHECK(late->balance().pending == 0);
        CHECK(late->balance().available == row.available);
        // The release makes the settled points available at once.
        std::int64_t released = 0;
        for (const auto& e : late->of_kind(EntryKind::release)) {
            if (e.order_id == "b") released += e.available_delta;
        }
        std::int64_t b_held = 0;
        for (const auto& e : late->entries()) {
            if (e.order_id == "b" && e.effective_at <= b_release) b_held += e.pending_delta + e.available_delta;
        }
        CHECK(released == b_held);
        // The customer's tier, recomputed from the ledger, is the in-order one.
        CHECK(late->customer("kari@example.com", end).tier.name == ordered->customer("kari@example.com", end).tier.name);
    }
}

TEST_CASE("a settlement is written once: walking the order again adds nothing and reports nothing") {
    const Order a = rules_order("a", {line("l1", 100000)});
    const Order b = rules_order("b", {line("l1", 100000)});
    RulesHarness h(bronze_silver());
    h.deliver(paid("b-paid", k_t0 + k_day, b), k_t0 + k_day);
    h.deliver(paid("a-paid", k_t0, a), k_t0 + 2 * k_day);
    h.tick(k_t0 + 30 * k_day);
    REQUIRE(settlements(h).size() == 1);
    const std::size_t count = h.entries().size();
    h.deliver(paid("b-paid", k_t0 + k_day, b), k_t0 + 31 * k_day);  // a repeated delivery
    CHECK(h.entries().size() == count);
    CHECK(h.conflicts() == 0);
}

TEST_CASE("an earning no tier explains is still a conflict, and is not settled") {
    const Order b = rules_order("b", {line("l1", 100000)});
    const RewardEngine engine(RuleBook({bronze_silver()}));
    const CustomerHistory history;
    const Event b_paid = paid("b-paid", k_t0, b);
    auto first = engine.apply_order({b_paid}, {}, history, k_t0);
    REQUIRE(first.new_entries.size() == 1);
    auto existing = first.new_entries;
    existing[0].pending_delta = 1234;  // x1.234: neither bronze nor silver
    const auto again = engine.apply_order({b_paid}, existing, history, k_t0 + 30 * k_day);
    CHECK(again.conflicts == std::vector<std::string>{"shop1:order:b:earn:l1"});
    for (const auto& e : again.new_entries) CHECK_FALSE(e.key.ends_with(":settle"));
}
