// The WooCommerce refund document (GET orders/<id>/refunds/<id>, INTEGRATION.md W3.4): negative
// quantities and totals read as what was given back, its items named by the order's lines (REST
// hides _refunded_item_id), shipping and fees with their tax, and the form rewardd keeps it in.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <limits>

#include "adapters/woocommerce/refund_detail.hpp"
#include "adapters/woocommerce/webhook_mapper.hpp"
#include "woocommerce/capture.hpp"

using namespace rewardd;
using namespace rewardd::woocommerce;
using nlohmann::json;

namespace {

json fixture(const std::string& name) {
    return json::parse(test::read_file(std::string(REWARDD_FIXTURES_DIR) + "/" + name));
}

OrderLine line(const std::string& id, const std::string& product, std::int64_t qty, std::int64_t total) {
    OrderLine l;
    l.id = id;
    l.product_id = product;
    l.quantity = qty;
    l.total_minor = total;
    return l;
}

Order order_of(std::vector<OrderLine> lines) {
    Order o;
    o.id = "40";
    o.currency = "NOK";
    o.lines = std::move(lines);
    return o;
}

}  // namespace

TEST_CASE("the synthetic refund document gives back one grinder, which is the order's line 82") {
    const auto detail =
        read_refund_detail(fixture("woocommerce/wc-rest-refund-with-line-items.SYNTHETIC.json"), "41", 2);
    REQUIRE_MESSAGE(detail.ok(), (detail ? std::string() : detail.error().message));
    REQUIRE(detail->items.size() == 1);
    CHECK(detail->items[0] == RefundedItem{"11", 1, 7385});  // "-1" and "-73.85" as given back
    CHECK(detail->shipping_minor == 0);

    // The order the refund belongs to, as its webhook maps.
    const std::string body =
        test::read_file(std::string(REWARDD_FIXTURES_DIR) +
                        "/woocommerce/wc-order-with-coupon-and-refund.SYNTHETIC.json");
    auto plan = plan_delivery(Topic::order_updated, body, "wc1", {});
    REQUIRE(plan.ok());
    const Event& refund_event = plan->events.back();
    REQUIRE(refund_event.refund);
    const Refund refund = with_refund_detail(*refund_event.refund, *detail, *refund_event.order);
    CHECK(refund.id == "41");
    CHECK(refund.amount_minor == 9231);  // the money returned stays as the webhook told it
    REQUIRE(refund.lines.size() == 1);
    CHECK(refund.lines[0].line_id == "82");
    CHECK(refund.lines[0].quantity == 1);
    CHECK(refund.lines[0].total_minor == 7385);
}

TEST_CASE("the real amount-only refunds of WooCommerce 7.9 have no items and no shipping") {
    for (const auto& [name, id] :
         {std::pair{"rest/refund-partial.json", "14"}, std::pair{"rest/refund-rest.json", "15"}}) {
        const auto detail = read_refund_detail(fixture(std::string("woocommerce-7.9-real/") + name), id, 2);
        REQUIRE(detail.ok());
        CHECK(detail->items.empty());
        CHECK(detail->shipping_minor == 0);
    }
}

TEST_CASE("shipping given back is its total and its tax, in the order's currency") {
    const json doc = {{"id", 42},
                      {"amount", "61.25"},
                      {"line_items", json::array()},
                      {"shipping_lines", {{{"id", 90}, {"total", "-49.00"}, {"total_tax", "-12.25"}}}}};
    const auto detail = read_refund_detail(doc, "42", 2);
    REQUIRE(detail.ok());
    CHECK(detail->items.empty());
    CHECK(detail->shipping_minor == 6125);
    const json yen_doc = {{"id", 42}, {"shipping_lines", {{{"total", "-800"}, {"total_tax", "-80"}}}}};
    const auto yen = read_refund_detail(yen_doc, "42", 0);
    REQUIRE(yen.ok());
    CHECK(yen->shipping_minor == 880);
}

TEST_CASE("fees given back are their totals and their tax, kept apart from the shipping") {
    const json doc = {{"id", 43},
                      {"amount", "71.25"},
                      {"line_items", json::array()},
                      {"shipping_lines", {{{"id", 90}, {"total", "-49.00"}, {"total_tax", "-12.25"}}}},
                      {"fee_lines", {{{"id", 91}, {"name", "Gift wrap"}, {"total", "-8.00"}, {"total_tax", "-2.00"}},
                                     {{"id", 92}, {"name", "Handling"}, {"total", "-0.50"}, {"total_tax", "0"}}}}};
    const auto detail = read_refund_detail(doc, "43", 2);
    REQUIRE_MESSAGE(detail.ok(), (detail ? std::string() : detail.error().message));
    CHECK(detail->shipping_minor == 6125);
    CHECK(detail->fees_minor == 1050);
    const Order order = order_of({line("1", "10", 1, 900)});
    const Refund refund = with_refund_detail(Refund{"43", 7125, {}, "", 0}, *detail, order);
    CHECK(refund.lines.empty());
    CHECK(refund.shipping_minor == 6125);
    CHECK(refund.fees_minor == 1050);

    json bad_fee = doc;
    bad_fee["fee_lines"][1]["total_tax"] = "lots";
    const auto bad = read_refund_detail(bad_fee, "43", 2);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("fee_lines[1].total_tax") != std::string::npos);
}

TEST_CASE("a document that is not the refund asked for, or has a bad amount, is refused with the field named") {
    const json doc = fixture("woocommerce/wc-rest-refund-with-line-items.SYNTHETIC.json");
    const auto other = read_refund_detail(doc, "40", 2);
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().message.find("id") != std::string::npos);

    json bad_total = doc;
    bad_total["line_items"][0]["total"] = -73.85;  // a number, not WooCommerce's decimal string
    const auto total = read_refund_detail(bad_total, "41", 2);
    REQUIRE_FALSE(total.ok());
    CHECK(total.error().message.find("line_items[0].total") != std::string::npos);

    json not_decimal = doc;
    not_decimal["shipping_lines"] = {{{"total", "-1,23"}}};
    const auto shipping = read_refund_detail(not_decimal, "41", 2);
    REQUIRE_FALSE(shipping.ok());
    CHECK(shipping.error().message.find("shipping_lines[0].total") != std::string::npos);

    json huge_quantity = doc;
    huge_quantity["line_items"][0]["quantity"] = std::numeric_limits<std::int64_t>::min();
    const auto quantity = read_refund_detail(huge_quantity, "41", 2);
    REQUIRE_FALSE(quantity.ok());
    CHECK(quantity.error().message.find("line_items[0].quantity") != std::string::npos);

    CHECK_FALSE(read_refund_detail(json::array(), "41", 2).ok());
}

TEST_CASE("between two lines of one product an item goes to the line at its unit price") {
    // Two variations of product 10 (REST gives both the parent's product_id): 2 x 20.00 and 1 x 35.00.
    const Order order = order_of({line("1", "10", 2, 4000), line("2", "10", 1, 3500), line("3", "12", 1, 900)});
    RefundDetail detail;
    detail.items = {{"10", 1, 3500}, {"10", 1, 2000}, {"99", 1, 500}};
    const Refund refund = with_refund_detail(Refund{"41", 6000, {}, "", 0}, detail, order);
    REQUIRE(refund.lines.size() == 3);
    CHECK(refund.lines[0].line_id == "2");
    CHECK(refund.lines[1].line_id == "1");
    CHECK(refund.lines[2].line_id == "product:99");  // not in the order: weighed across it by the engine
    CHECK(refund.lines[2].total_minor == 500);
}

TEST_CASE("items of one line beyond its quantity move on to the product's next line") {
    const Order order = order_of({line("1", "10", 1, 2000), line("2", "10", 1, 2000)});
    RefundDetail detail;
    detail.items = {{"10", 1, 2000}, {"10", 1, 2000}};
    const Refund refund = with_refund_detail(Refund{"41", 4000, {}, "", 0}, detail, order);
    REQUIRE(refund.lines.size() == 2);
    CHECK(refund.lines[0].line_id == "1");
    CHECK(refund.lines[1].line_id == "2");
}

TEST_CASE("the kept form reads back as written, and anything else reads as nothing") {
    RefundDetail detail;
    detail.items = {{"11", 1, 7385}, {"12", 3, 0}};
    detail.shipping_minor = 6125;
    detail.fees_minor = 1050;
    const auto back = parse_refund_detail_json(refund_detail_json(detail));
    REQUIRE(back);
    CHECK(*back == detail);
    // Kept before fees were read: no fees.
    const auto older = parse_refund_detail_json("{\"items\":[],\"shipping_minor\":6125}");
    REQUIRE(older);
    CHECK(older->shipping_minor == 6125);
    CHECK(older->fees_minor == 0);
    CHECK_FALSE(parse_refund_detail_json("{\"items\":[],\"shipping_minor\":0,\"fees_minor\":-1}"));
    CHECK_FALSE(parse_refund_detail_json(""));
    CHECK_FALSE(parse_refund_detail_json("{\"items\":[]}"));
    CHECK_FALSE(parse_refund_detail_json(  // a product id as a number
        "{\"items\":[{\"product_id\":11,\"quantity\":1,\"total_minor\":1}],\"shipping_minor\":0}"));
    CHECK_FALSE(parse_refund_detail_json("{\"items\":[],\"shipping_minor\":-1}"));
}
