// The refund line preparer on its own, over a real database: what it asks for, when an order looks
// again, and what it fills in (the daemon's end-to-end behaviour is in woocommerce_refunds_test).
#include <doctest/doctest.h>

#include "refunds/refund_line_preparer.hpp"
#include "store/database.hpp"
#include "store/shop_registry.hpp"
#include "store/woocommerce_refunds.hpp"
#include "support/daemon_process.hpp"

using namespace rewardd;

namespace {

constexpr Timestamp k_now = 1'800'000'000;

struct Shop40 {
    test::TempDir dir;
    std::shared_ptr<SQLite::Database> db;

    Shop40() {
        auto opened = open_database({dir.str() + "/rewardd.db"});
        REQUIRE(opened.ok());
        db = *opened;
        Shop shop{"wc1", "woocommerce", "s",
                  {{"url", "http://127.0.0.1:9"}, {"consumer_key", "ck"}, {"consumer_secret", "cs"}}, 0};
        REQUIRE(ShopRegistry(db).save(shop).ok());
    }

    // Order 40 with one refund of 20.00 as its webhook tells it: an amount, no lines.
    static std::vector<Event> events() {
        Event e;
        e.shop_id = "wc1";
        e.id = "woocommerce:wc1:order:40:refund:41";
        e.type = EventType::order_refunded;
        e.order = Order{};
        e.order->id = "40";
        e.order->currency = "EUR";
        e.order->customer = {"7", "kari@example.com"};
        e.order->lines = {OrderLine{"81", "10", {}, 1, 3000}, OrderLine{"82", "11", {}, 1, 2000}};
        e.refund = Refund{"41", 2000, {}, "", 0};
        return {e};
    }
};

}  // namespace

TEST_CASE("a refund is asked for once and its order looks again shortly, then after each failed fetch's next try") {
    Shop40 shop;
    auto prepare = make_refund_line_preparer(shop.db);
    auto events = Shop40::events();
    const auto first = prepare(events, k_now);
    REQUIRE(first.ok());
    CHECK(*first == std::optional<Timestamp>{k_now + 2});
    WooCommerceRefunds refunds(*shop.db);
    const auto due = refunds.due(k_now, 16);
    REQUIRE(due.ok());
    REQUIRE(due->size() == 1);
    CHECK((*due)[0].currency == "EUR");

    // The shop is down: the next try is in ten minutes, and the order does not look before it.
    REQUIRE(refunds.retry_later((*due)[0], k_now + 600, "HTTP 503", k_now).ok());
    const auto later = prepare(events, k_now + 3);
    REQUIRE(later.ok());
    CHECK(*later == std::optional<Timestamp>{k_now + 602});
    CHECK(events[0].refund->lines.empty());

    // Fetched: the grinder alone comes back; the order is ready.
    REQUIRE(refunds.resolve((*due)[0], "known",
                            R"({"items":[{"product_id":"11","quantity":1,"total_minor":2000}],"shipping_minor":0})",
                            k_now + 600).ok());
    const auto ready = prepare(events, k_now + 602);
    REQUIRE(ready.ok());
    CHECK_FALSE(ready->has_value());
    REQUIRE(events[0].refund->lines.size() == 1);
    CHECK(events[0].refund->lines[0].line_id == "82");
}

TEST_CASE("a replay never asks for a document, and a simulation does not wait for one being fetched") {
    Shop40 shop;
    auto events = Shop40::events();
    RefundLinePreparerOptions replay;
    replay.ask_for_documents = false;
    const auto asked = make_refund_line_preparer(shop.db, replay)(events, k_now);
    REQUIRE(asked.ok());
    CHECK_FALSE(asked->has_value());
    CHECK(WooCommerceRefunds(*shop.db).due(k_now + 10, 16)->empty());

    REQUIRE(make_refund_line_preparer(shop.db)(events, k_now).ok());  // the daemon asks
    CHECK(make_refund_line_preparer(shop.db, replay)(events, k_now)->has_value());  // reconcile waits with it
    RefundLinePreparerOptions simulation = replay;
    simulation.wait_while_fetched = false;
    CHECK_FALSE(make_refund_line_preparer(shop.db, simulation)(events, k_now)->has_value());
}
