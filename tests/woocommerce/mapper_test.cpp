// The WooCommerce adapter on the real 7.9 captures: snapshot -> the events it implies, with exact
// money, deterministic ids and the shop's status meanings; trash and restore paired by count.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "adapters/neutral/event_json.hpp"
#include "adapters/woocommerce/trash_history.hpp"
#include "adapters/woocommerce/webhook_mapper.hpp"
#include "woocommerce/capture.hpp"

using namespace rewardd;
using namespace rewardd::woocommerce;
using rewardd::test::woocommerce::read_capture;

namespace {

std::vector<Event> events_of(const std::string& body, const StatusMap& map = {}) {
    auto plan = plan_delivery(Topic::order_updated, body, "wc1", map);
    REQUIRE_MESSAGE(plan.ok(), (plan ? std::string() : plan.error().message));
    return plan->events;
}

std::vector<std::string> ids_of(const std::vector<Event>& events) {
    std::vector<std::string> ids;
    for (const auto& e : events) ids.push_back(e.id);
    return ids;
}

}  // namespace

TEST_CASE("the captured new order (processing, paid) becomes placed and paid with exact money") {
    const auto events = events_of(read_capture("003-order.created.http").body);
    REQUIRE(ids_of(events) == std::vector<std::string>{"woocommerce:wc1:order:12:placed", "woocommerce:wc1:order:12:paid"});
    const Event& paid = events[1];
    CHECK(paid.type == EventType::order_paid);
    CHECK(paid.occurred_at == *parse_timestamp("2026-11-22T10:12:08Z"));
    CHECK(paid.order->currency == "USD");
    CHECK(paid.order->total_minor == 5000);
    CHECK(paid.order->customer.email == "ada@example.test");
    CHECK(paid.order->customer.id.empty());  // a guest: customer_id 0
    REQUIRE(paid.order->lines.size() == 1);
    CHECK(paid.order->lines[0].id == "1");
    CHECK(paid.order->lines[0].product_id == "10");
    CHECK(paid.order->lines[0].quantity == 2);
    CHECK(paid.order->lines[0].total_minor == 5000);
}

TEST_CASE("the captured completed order adds completed at date_completed_gmt") {
    const auto events = events_of(read_capture("005-order.updated.http").body);
    REQUIRE(events.size() == 3);
    CHECK(events[2].id == "woocommerce:wc1:order:12:completed");
    CHECK(events[2].occurred_at == *parse_timestamp("2026-11-22T10:12:10Z"));
}

TEST_CASE("the captured refunded order implies paid, completed and each refund once by its id") {
    const auto events = events_of(read_capture("007-order.updated.http").body);
    REQUIRE(ids_of(events) == std::vector<std::string>{
                                  "woocommerce:wc1:order:12:placed", "woocommerce:wc1:order:12:paid",
                                  "woocommerce:wc1:order:12:completed", "woocommerce:wc1:order:12:refund:15",
                                  "woocommerce:wc1:order:12:refund:14"});
    CHECK(events[3].refund->amount_minor == 3000);  // "-30.00" listed, refunded 30.00
    CHECK(events[4].refund->amount_minor == 2000);
    CHECK(events[4].refund->lines.empty());
    CHECK(events[3].occurred_at == *parse_timestamp("2026-11-22T10:12:13Z"));
}

TEST_CASE("a synthetic order: customer id, mixed-case e-mail, coupon inside the lines, referral meta") {
    const std::string body = test::read_file(std::string(REWARDD_FIXTURES_DIR) +
                                       "/woocommerce/wc-order-with-coupon-and-refund.SYNTHETIC.json");
    const auto events = events_of(body);
    REQUIRE(events.size() == 3);
    const Order& o = *events[1].order;
    CHECK(o.currency == "NOK");
    CHECK(o.customer.id == "7");
    CHECK(o.customer.email == "kari@example.com");
    CHECK(o.total_minor == 21125);
    CHECK(o.tax_minor == 4225);
    CHECK(o.shipping_minor == 4900);
    CHECK(o.discount_minor == 0);
    REQUIRE(o.lines.size() == 2);
    CHECK(o.lines[0].total_minor == 4615);
    CHECK(o.lines[1].total_minor == 7385);
    CHECK(o.referral_code == std::optional<std::string>("OLA-7Q2"));
    CHECK(o.codes == std::vector<std::string>{"loyal-10-abc"});  // coupon_lines, as WooCommerce keeps it
    CHECK(events[2].refund->amount_minor == 9231);
}

TEST_CASE("status meanings: defaults, a shop's overrides, and a cancelled order that had been paid") {
    std::string body = read_capture("003-order.created.http").body;
    const auto with_status = [&](const std::string& status) {
        std::string b = body;
        b.replace(b.find("\"status\":\"processing\""), 21, "\"status\":\"" + status + "\"");
        return b;
    };
    CHECK(events_of(with_status("on-hold")).size() == 1);  // placed only
    CHECK(events_of(with_status("checkout-draft")).empty());
    const auto cancelled = events_of(with_status("cancelled"));
    REQUIRE(cancelled.size() == 3);  // date_paid_gmt is set: placed, paid, cancelled
    CHECK(cancelled[2].type == EventType::order_cancelled);
    CHECK(events_of(with_status("failed")).back().type == EventType::order_cancelled);

    auto custom = StatusMap::parse("on-hold=paid, wc-processing=placed");
    REQUIRE(custom);
    CHECK(events_of(with_status("on-hold"), *custom).size() == 2);
    CHECK(events_of(with_status("processing"), *custom).size() == 1);
    CHECK_FALSE(StatusMap::parse("on-hold=maybe"));
    CHECK(StatusMap::parse("on-hold=maybe").error().field == "status_map");
}

TEST_CASE("refunded status without refunds covering the total refunds the rest") {
    std::string body = read_capture("003-order.created.http").body;
    body.replace(body.find("\"status\":\"processing\""), 21, "\"status\":\"refunded\"");
    const auto events = events_of(body);
    REQUIRE(events.size() == 3);
    CHECK(events[2].id == "woocommerce:wc1:order:12:refund:status-refunded");
    CHECK(events[2].refund->amount_minor == 5000);
}

TEST_CASE("refunds whose sum leaves the amount range are refused, naming the one that overflows") {
    auto doc = nlohmann::json::parse(read_capture("003-order.created.http").body);
    doc["refunds"] = nlohmann::json::array();
    for (int i = 0; i < 3; ++i) doc["refunds"].push_back({{"id", 20 + i}, {"total", "-90000000000000.00"}});
    const auto refused = plan_delivery(Topic::order_updated, doc.dump(), "wc1", {});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::amount_out_of_range);
    CHECK(refused.error().field == "refunds[1].total");
}

TEST_CASE("amounts written with more decimals than the currency has are rounded, not refused") {
    // A yen shop left at WooCommerce's default of two price decimals: a 10 % coupon on 333 yen.
    auto yen = nlohmann::json::parse(read_capture("003-order.created.http").body);
    yen["currency"] = "JPY";
    yen["line_items"][0]["subtotal"] = "333.00";
    yen["line_items"][0]["total"] = "299.70";
    yen["discount_total"] = "33.30";
    yen["total"] = "299.70";
    yen["refunds"] = {{{"id", 14}, {"reason", ""}, {"total", "-99.90"}}};
    const auto events = events_of(yen.dump());
    REQUIRE(events.size() == 3);
    CHECK(events[1].order->currency == "JPY");
    CHECK(events[1].order->lines[0].total_minor == 300);
    CHECK(events[1].order->total_minor == 300);
    REQUIRE(events[2].refund);
    CHECK(events[2].refund->amount_minor == 100);
    // A shop with four price decimals in dollars (goods sold by the gram).
    auto grams = nlohmann::json::parse(read_capture("003-order.created.http").body);
    grams["line_items"][0]["total"] = "12.3449";
    grams["total"] = "12.3450";
    const auto by_gram = events_of(grams.dump());
    CHECK(by_gram[1].order->lines[0].total_minor == 1234);
    CHECK(by_gram[1].order->total_minor == 1235);
}

TEST_CASE("a negative fee is the order's discount, a positive fee is not") {
    // 50.00 of goods, 5.00 off for paying by bank transfer (a negative fee with its tax) and a
    // 2.50 handling charge: the 5.00 is an order-level discount the line totals do not show.
    auto doc = nlohmann::json::parse(read_capture("003-order.created.http").body);
    doc["fee_lines"] = {{{"id", 3}, {"name", "Bank transfer discount"}, {"total", "-5.00"}, {"total_tax", "-1.25"}},
                        {{"id", 4}, {"name", "Handling"}, {"total", "2.50"}, {"total_tax", "0.00"}}};
    doc["total"] = "46.25";
    const auto events = events_of(doc.dump());
    REQUIRE(events.size() == 2);
    CHECK(events[1].order->discount_minor == 500);
    CHECK(events[1].order->lines[0].total_minor == 5000);
    // The captured order has no fees: no discount.
    CHECK(events_of(read_capture("003-order.created.http").body)[1].order->discount_minor == 0);
    doc["fee_lines"][0]["total"] = -5;
    const auto refused = plan_delivery(Topic::order_updated, doc.dump(), "wc1", {});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().field == "fee_lines[0].total");
}

TEST_CASE("malformed bodies are refused naming the field, the ping is recognised") {
    CHECK(plan_delivery(Topic::order_updated, "{not json", "wc1", {}).error().code == ErrorCode::malformed_json);
    std::string body = read_capture("003-order.created.http").body;
    std::string bad_total = body;
    bad_total.replace(bad_total.find("\"total\":\"50.00\""), 15, "\"total\":\"50,00\"");
    CHECK(plan_delivery(Topic::order_updated, bad_total, "wc1", {}).error().field == "total");
    std::string bad_line = body;
    bad_line.replace(bad_line.rfind("\"total\":\"50.00\""), 15, "\"total\":50.0");
    CHECK(plan_delivery(Topic::order_updated, bad_line, "wc1", {}).error().field == "line_items[0].total");
    // Found by the fuzzer: a negative line total was mapped into an event the store cannot read back.
    std::string negative_line = body;
    negative_line.replace(negative_line.rfind("\"total\":\"50.00\""), 15, "\"total\":\"-20.00\"");
    const auto refused = plan_delivery(Topic::order_updated, negative_line, "wc1", {});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().field == "line_items[0].total");
    std::string bad_currency = body;
    bad_currency.replace(bad_currency.find("\"USD\""), 5, "\"XXX\"");
    CHECK(plan_delivery(Topic::order_updated, bad_currency, "wc1", {}).error().field == "currency");

    CHECK(is_ping("webhook_id=1"));
    CHECK(is_ping(read_capture("002-ping.http").body));
    CHECK_FALSE(is_ping("webhook_id="));
    CHECK_FALSE(is_ping("webhook_id=1&x=2"));
    CHECK(plan_delivery(Topic::order_deleted, "{\"id\":12}", "wc1", {})->deleted_order_id == "12");
}

TEST_CASE("customer.created becomes a customer event keyed by the customer id") {
    auto plan = plan_delivery(Topic::customer_created,
                              R"({"id":7,"email":" Kari@Example.com","date_created_gmt":"2026-11-22T10:00:00",)"
                              R"("meta_data":[{"id":1,"key":"rewardd_referral_code","value":"OLA-7Q2"}]})",
                              "wc1", {});
    REQUIRE(plan);
    REQUIRE(plan->events.size() == 1);
    CHECK(plan->events[0].id == "woocommerce:wc1:customer:7:created");
    CHECK(plan->events[0].customer->email == "kari@example.com");
    CHECK(plan->events[0].referral_code == std::optional<std::string>("OLA-7Q2"));
}

TEST_CASE("an over-long referral meta on a new customer is no referral code, so the stored event stays readable") {
    const std::string body = R"({"id":7,"email":"kari@example.com","date_created_gmt":"2026-11-22T10:00:00",)"
                             R"("meta_data":[{"id":1,"key":"rewardd_referral_code","value":")" +
                             std::string(300, 'x') + R"("}]})";
    auto plan = plan_delivery(Topic::customer_created, body, "wc1", {});
    REQUIRE(plan);
    REQUIRE(plan->events.size() == 1);
    CHECK(plan->events[0].referral_code == std::nullopt);
    const auto stored = parse_event_json(event_to_json(plan->events[0]), "wc1");
    CHECK_MESSAGE(stored.ok(), (stored.ok() ? "" : stored.error().message));
}

TEST_CASE("order.restored of a paid or completed order adds a restore keyed by its date_modified_gmt") {
    const std::string body = read_capture("003-order.created.http").body;  // processing
    auto plan = plan_delivery(Topic::order_restored, body, "wc1", {});
    REQUIRE(plan);
    REQUIRE(plan->events.size() == 3);
    const Event& restore = plan->events.back();
    CHECK(restore.type == EventType::order_restored);
    CHECK(restore.id == "woocommerce:wc1:order:12:restored:2026-11-22T10:12:08Z");
    CHECK(restore.occurred_at == *parse_timestamp("2026-11-22T10:12:08Z"));
    // The same snapshot as order.updated implies no restore; a restored order that was really
    // cancelled (or never paid) stays as it is.
    CHECK(plan_delivery(Topic::order_updated, body, "wc1", {})->events.size() == 2);
    std::string cancelled = body;
    cancelled.replace(cancelled.find("\"status\":\"processing\""), 21, "\"status\":\"cancelled\"");
    for (const auto& e : plan_delivery(Topic::order_restored, cancelled, "wc1", {})->events) {
        CHECK(e.type != EventType::order_restored);
    }
}

TEST_CASE("the n-th order.deleted is the n-th trash, timed before the n-th restore") {
    const auto events = events_of(read_capture("003-order.created.http").body);
    const Order& order = *events.back().order;
    const Timestamp t = *parse_timestamp("2026-11-22T11:00:00Z");
    auto stored = events;

    // In order: deleted at arrival, then restored at its own date.
    const Event first = trash_event("wc1", stored, order, t);
    CHECK(first.id == "woocommerce:wc1:order:12:deleted:1");
    CHECK(first.type == EventType::order_cancelled);
    CHECK(first.occurred_at == t);
    stored.push_back(first);
    Event restore = *restore_event(*read_order(json::parse(read_capture("003-order.created.http").body)), "wc1", {});
    restore.occurred_at = t + 60;
    place_restore(restore, stored);
    CHECK(restore.occurred_at == t + 60);
    stored.push_back(restore);
    const Event second = trash_event("wc1", stored, order, t + 120);
    CHECK(second.id == "woocommerce:wc1:order:12:deleted:2");
    CHECK(second.occurred_at == t + 120);

    // Swapped: the restore stored first; the deletion that arrives later is walked before it.
    auto swapped = events;
    Event early = restore;
    place_restore(early, swapped);
    swapped.push_back(early);
    const Event late = trash_event("wc1", swapped, order, t + 300);
    CHECK(late.id == "woocommerce:wc1:order:12:deleted:1");
    CHECK(late.occurred_at == t + 60);

    // Delivered late: the deletion arrived after the restore happened; the restore follows it.
    auto lagging = events;
    lagging.push_back(trash_event("wc1", lagging, order, t + 300));
    Event after = restore;
    place_restore(after, lagging);
    CHECK(after.occurred_at == t + 300);

    // A cancellation by status is no trash: the first deletion after it is still deleted:1.
    std::string cancelled = read_capture("003-order.created.http").body;
    cancelled.replace(cancelled.find("\"status\":\"processing\""), 21, "\"status\":\"cancelled\"");
    const auto by_status = events_of(cancelled);
    REQUIRE(by_status.back().id == "woocommerce:wc1:order:12:cancelled");
    CHECK(trash_event("wc1", by_status, order, t).id == "woocommerce:wc1:order:12:deleted:1");
}
