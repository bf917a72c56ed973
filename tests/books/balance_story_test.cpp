// explain's story: "why do I have 340 points?" answered from the entries in plain lines.
#include <doctest/doctest.h>

#include "books/balance_story.hpp"
#include "books/story_ledger.hpp"
#include "core/customer_walk.hpp"
#include "core/engine_harness.hpp"
#include "store/database.hpp"
#include "store/sqlite_store.hpp"
#include "support/daemon_process.hpp"

using namespace rewardd;
using namespace rewardd::test;

namespace {

bool has_line(const std::vector<std::string>& lines, const std::string& part) {
    for (const auto& l : lines) {
        if (l.find(part) != std::string::npos) return true;
    }
    return false;
}

constexpr Timestamp k_paid = 1767225600;  // 2026-01-01

// An order of 300.00 and 100.00 EUR on two lines paid at k_paid, then 75.00 EUR of its first
// line refunded an hour later.
void pay_then_refund_part(EngineHarness& h, const std::string& order_id) {
    const Order o = make_order(order_id, "EUR", {{"l1", 30000}, {"l2", 10000}});
    h.deliver(order_event(EventType::order_paid, "paid", k_paid, o), k_paid);
    h.deliver(refund_event("r1", k_paid + 3600, o, Refund{"r1", 7500, {{"l1", 1, 7500}}}), k_paid + 3600);
}

}  // namespace

TEST_CASE("the story tells the order, its rate and rule version, the refund share and the adjustment") {
    EngineHarness h;
    const Timestamp paid = k_paid;
    pay_then_refund_part(h, "1001");
    h.tick(paid + 30 * k_seconds_per_day);
    Event adjust;
    adjust.shop_id = "shop1";
    adjust.id = "adjust-1";
    adjust.type = EventType::points_adjusted;
    adjust.occurred_at = paid + 31 * k_seconds_per_day;
    adjust.customer = CustomerRef{"", "kari@example.com"};
    adjust.adjustment = Adjustment{15, "goodwill for a late parcel"};
    h.deliver(adjust, adjust.occurred_at);

    const Balance b = h.balance();
    REQUIRE(b.available == 340);  // 300 + 100 earned, 75 refunded, 15 given
    const auto story = books::balance_story("kari@example.com", b, h.entries());
    CAPTURE(story);
    CHECK(story.front() == "kari@example.com has 340 points available and 0 pending. Why:");
    CHECK(has_line(story, "order 1001 (shop1), paid 2026-01-01: +400 points earned under rules v1"));
    CHECK(has_line(story, "line l1: 300 for 300.00 EUR at 1 per 1.00 EUR"));
    CHECK(has_line(story, "-75 for refund r1 of line l1 (refunded share 7500/30000)"));
    CHECK(has_line(story, "325 points became available"));
    CHECK(has_line(story, "+15 manual adjustment: goodwill for a late parcel"));
    CHECK(story.back() == "  = 340 available + 0 pending");
}

TEST_CASE("the story tells a trash and its restore as a reversal and the points coming back") {
    EngineHarness h;
    const Timestamp paid = 1767225600;  // 2026-01-01
    const Order o = make_order("1002", "EUR", {{"l1", 20000}});
    h.deliver(order_event(EventType::order_paid, "paid", paid, o), paid);
    h.deliver(order_event(EventType::order_cancelled, "deleted:1", paid + 86400, o), paid + 86400);
    h.deliver(order_event(EventType::order_restored, "restored", paid + 2 * 86400, o), paid + 2 * 86400);
    const auto story = books::balance_story("kari@example.com", h.balance(), h.entries());
    CAPTURE(story);
    CHECK(has_line(story, "order 1002 (shop1), paid 2026-01-01: +200 points earned under rules v1"));
    CHECK(has_line(story, "2026-01-02 -200: order cancelled, whatever the order still held taken back"));
    CHECK(has_line(story, "2026-01-03 +200 for line l1: order restored: its points count again"));
    CHECK(has_line(story, "still pending: 200 points"));
}

TEST_CASE("explain's own read of the ledger tells the same story, balance and tier as the full entries") {
    EngineHarness h;
    const Timestamp paid = k_paid;
    pay_then_refund_part(h, "1003");
    const Order trashed = make_order("1004", "EUR", {{"l1", 20000}});
    h.deliver(order_event(EventType::order_paid, "paid", paid + 60, trashed), paid + 60);
    h.deliver(order_event(EventType::order_cancelled, "deleted:1", paid + 86400, trashed), paid + 86400);
    h.deliver(order_event(EventType::order_restored, "restored", paid + 2 * 86400, trashed), paid + 2 * 86400);
    h.tick(paid + 30 * k_seconds_per_day);
    std::vector<LedgerEntry> entries = h.entries();
    REQUIRE(!entries.empty());
    const std::string customer = entries.front().customer;
    for (const auto* to : {"silver", "gold"}) {  // the later change is the tier held
        LedgerEntry tier;
        tier.key = std::string("tier-") + to;
        tier.customer = customer;
        tier.kind = EntryKind::tier_change;
        tier.effective_at = paid + 31 * k_seconds_per_day;
        tier.rate = "spent 400.00 EUR";
        tier.reason = std::string("none -> ") + to;
        entries.push_back(tier);
    }

    TempDir dir;
    auto db = open_database({database_path(dir.str())});
    REQUIRE(db);
    SqliteStore store(*db);
    for (const auto& e : entries) REQUIRE(store.append_entry(e, paid));
    auto stored = store.customer_entries(customer);
    REQUIRE(stored);
    auto ledger = books::read_story_ledger(**db, customer);
    REQUIRE(ledger);

    const Balance full = sum_entries(*stored);
    CHECK(ledger->balance.available == full.available);
    CHECK(ledger->balance.pending == full.pending);
    CHECK(ledger->tier == recorded_tier(*stored));
    CHECK(ledger->tier == "gold");
    std::vector<std::string> told;
    books::tell_balance_story(customer, ledger->balance, ledger->entries,
                              [&](const std::string& line) { told.push_back(line); });
    CHECK(told == books::balance_story(customer, full, *stored));
    CHECK(has_line(told, "-75 for refund r1 of line l1 (refunded share 7500/30000)"));
    CHECK(has_line(told, "tier none -> gold (spent 400.00 EUR)"));
}

TEST_CASE("explain's own read of a customer without entries is an empty story with tier none") {
    TempDir dir;
    auto db = open_database({database_path(dir.str())});
    REQUIRE(db);
    auto ledger = books::read_story_ledger(**db, "nobody@example.com");
    REQUIRE(ledger);
    CHECK(ledger->entries.empty());
    CHECK(ledger->tier == "none");
    CHECK(ledger->balance.available == 0);
}
