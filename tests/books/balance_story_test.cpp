// explain's story: "why do I have 340 points?" answered from the entries in plain lines.
#include <doctest/doctest.h>

#include "books/balance_story.hpp"
#include "core/engine_harness.hpp"

using namespace rewardd;
using namespace rewardd::test;

namespace {

bool has_line(const std::vector<std::string>& lines, const std::string& part) {
    for (const auto& l : lines) {
        if (l.find(part) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("the story tells the order, its rate and rule version, the refund share and the adjustment") {
    EngineHarness h;
    const Timestamp paid = 1767225600;  // 2026-01-01
    const Order o = make_order("1001", "EUR", {{"l1", 30000}, {"l2", 10000}});
    h.deliver(order_event(EventType::order_paid, "paid", paid, o), paid);
    h.deliver(refund_event("r1", paid + 3600, o, Refund{"r1", 7500, {{"l1", 1, 7500}}}), paid + 3600);
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
