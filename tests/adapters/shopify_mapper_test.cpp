// The Shopify adapter against the fixture payloads, byte for byte: order snapshots, refunds,
// customers and privacy bodies become the neutral events INTEGRATION.md N1/N1b describes.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "adapters/neutral/event_json.hpp"
#include "adapters/shopify/literal_json.hpp"
#include "adapters/shopify/order_mapper.hpp"
#include "adapters/shopify/webhook_mapper.hpp"

using namespace rewardd;
using namespace rewardd::shopify;

namespace {

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(REWARDD_FIXTURES_DIR) + "/shopify/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

WebhookPlan plan(const std::string& topic, const std::string& body, MapOptions options = {}) {
    auto p = plan_webhook(*parse_topic(topic), body, "s1", options);
    REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message));
    return *p;
}

const Event* find(const WebhookPlan& p, EventType type) {
    for (const auto& e : p.events) {
        if (e.type == type) return &e;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("JSON numbers with decimals are kept as their literal text, never as doubles") {
    auto doc = parse_literal_json(R"({"subtotal":195.66,"big":0.1000000000000000055511151231257827,"id":450789469})");
    REQUIRE(doc.ok());
    CHECK((*doc)["subtotal"] == "195.66");
    CHECK((*doc)["big"] == "0.1000000000000000055511151231257827");
    CHECK((*doc)["id"].is_number_integer());
    CHECK_FALSE(parse_literal_json("{\"a\":").ok());
    CHECK(parse_literal_json(std::string(100, '[') + std::string(100, ']')).error().code == ErrorCode::malformed_json);
}

TEST_CASE("a paid order becomes placed and paid events with discounted line totals in shop money") {
    const auto p = plan("orders/paid", fixture("orders-paid.json"));
    REQUIRE(p.action == Action::store_events);
    REQUIRE(p.events.size() == 2);
    const Event* paid = find(p, EventType::order_paid);
    REQUIRE(paid);
    CHECK(paid->id == "shopify:s1:order:450789469:paid");
    CHECK(find(p, EventType::order_placed)->id == "shopify:s1:order:450789469:placed");
    const Order& o = *paid->order;
    CHECK(o.id == "450789469");
    CHECK(o.currency == "USD");
    CHECK(o.customer.id == "207119551");
    CHECK(o.customer.email == "bob.norman@mail.example.com");
    REQUIRE(o.lines.size() == 3);
    CHECK(o.lines[0].id == "466157049");
    CHECK(o.lines[0].product_id == "632910392");
    CHECK(o.lines[0].total_minor == 19566);
    CHECK(o.lines[1].total_minor == 19567);
    CHECK(o.lines[2].total_minor == 19567);
    CHECK(o.discount_minor == 0);
    CHECK(o.tax_minor == 1194);
    CHECK(o.total_minor == 59894);
    CHECK(o.referral_code == std::optional<std::string>("TENOFF"));
    CHECK(o.codes == std::vector<std::string>{"TENOFF"});
    CHECK(paid->occurred_at == 1199980800);  // processed_at 2008-01-10T11:00:00-05:00
}

TEST_CASE("a refunds/create body becomes one refund event with per-line shop-money subtotals") {
    const auto p = plan("refunds/create", fixture("refunds-create.json"));
    REQUIRE(p.events.size() == 1);
    const Event& e = p.events[0];
    CHECK(e.type == EventType::order_refunded);
    CHECK(e.id == "shopify:s1:order:450789469:refund:509562969");
    CHECK(e.order->id == "450789469");
    CHECK(e.order->currency == "USD");
    REQUIRE(e.refund->lines.size() == 2);
    CHECK(e.refund->lines[0].line_id == "703073504");
    CHECK(e.refund->lines[0].total_minor == 19566);
    CHECK(e.refund->lines[1].line_id == "466157049");
    CHECK(e.refund->lines[1].total_minor == 19567);
    CHECK(e.refund->amount_minor == 20900);  // the successful refund transactions
}

TEST_CASE("a refund's number-only subtotal is read exactly from its literal text") {
    std::string body = fixture("refunds-create.json");
    // Drop the *_set objects so only the JSON number remains.
    auto doc = parse_literal_json(body);
    for (auto& item : (*doc)["refund_line_items"]) item.erase("subtotal_set");
    (*doc)["refund_line_items"][0]["subtotal_set"] = {{"shop_money", {{"amount", "195.66"}, {"currency_code", "USD"}}}};
    (*doc)["refund_line_items"][1]["subtotal"] = nlohmann::json::parse("0.29");  // 0.29 is 0.28999... as a double
    const auto p = plan("refunds/create", doc->dump());
    CHECK(p.events[0].refund->lines[1].total_minor == 29);
}

TEST_CASE("a cancelled order shows paid, its refunds and the cancellation") {
    const auto p = plan("orders/cancelled", fixture("orders-cancelled.json"));
    REQUIRE(find(p, EventType::order_cancelled));
    CHECK(find(p, EventType::order_cancelled)->id == "shopify:s1:order:450789469:cancelled");
    CHECK(find(p, EventType::order_paid));
    const Event* refund = find(p, EventType::order_refunded);
    REQUIRE(refund);
    CHECK(refund->id == "shopify:s1:order:450789469:refund:929361465");
    CHECK(refund->refund->amount_minor == 1000);
    CHECK(refund->refund->lines.size() == 3);
}

TEST_CASE("every snapshot of one order gives the same order object for the paid event") {
    const auto paid = plan("orders/paid", fixture("orders-paid.json"));
    const auto cancelled = plan("orders/cancelled", fixture("orders-cancelled.json"));
    const Order& a = *find(paid, EventType::order_paid)->order;
    const Order& b = *find(cancelled, EventType::order_paid)->order;
    REQUIRE(a.lines.size() == b.lines.size());
    for (std::size_t i = 0; i < a.lines.size(); ++i) CHECK(a.lines[i].total_minor == b.lines[i].total_minor);
    CHECK(a.total_minor == b.total_minor);
}

TEST_CASE("a guest order without customer or e-mail maps with an empty identity") {
    const auto p = plan("orders/create", fixture("orders-create-guest-eur.json"));
    const Event* paid = find(p, EventType::order_paid);
    REQUIRE(paid);
    CHECK(paid->order->currency == "EUR");
    CHECK(paid->order->customer.id.empty());
    CHECK(paid->order->customer.email.empty());
    CHECK(paid->order->lines[0].total_minor == 22497);  // 3 x 74.99
    CHECK(paid->order->lines[0].product_id.empty());
}

TEST_CASE("with taxes included the line taxes come off the line base") {
    auto doc = parse_literal_json(fixture("orders-paid.json"));
    (*doc)["taxes_included"] = true;
    const auto p = plan("orders/paid", doc->dump());
    CHECK(find(p, EventType::order_paid)->order->lines[0].total_minor == 19566 - 398);
}

TEST_CASE("shop money is used when the buyer paid in another currency") {
    auto doc = parse_literal_json(fixture("orders-paid.json"));
    auto& line = (*doc)["line_items"][0];
    line["price"] = "1990.00";
    line["price_set"]["presentment_money"] = {{"amount", "1990.00"}, {"currency_code", "NOK"}};
    (*doc)["presentment_currency"] = "NOK";
    const auto p = plan("orders/paid", doc->dump());
    CHECK(find(p, EventType::order_paid)->order->lines[0].total_minor == 19566);
}

// orders/paid as a Shopify Markets order: the shop's money is USD, the buyer paid 89,841 JPY.
nlohmann::json order_paid_in_yen() {
    auto doc = parse_literal_json(fixture("orders-paid.json"));
    (*doc)["presentment_currency"] = "JPY";
    (*doc)["total_price_set"]["presentment_money"] = {{"amount", "89841"}, {"currency_code", "JPY"}};
    return *doc;
}

// refunds/create of that order, amount-only: the money went back in yen, the only figure it tells.
nlohmann::json yen_refund_without_lines() {
    auto doc = parse_literal_json(fixture("refunds-create.json"));
    (*doc)["refund_line_items"] = nlohmann::json::array();
    (*doc)["transactions"][0]["currency"] = "JPY";
    (*doc)["transactions"][0]["amount"] = "31000";
    return *doc;
}

TEST_CASE("an order paid in the buyer's currency keeps its total in it, an order in the shop's none") {
    const auto p = plan("orders/paid", order_paid_in_yen().dump());
    const Order& order = *find(p, EventType::order_paid)->order;
    CHECK(order.currency == "USD");
    CHECK(order.total_minor == 59894);
    REQUIRE(order.presentment);
    CHECK(order.presentment->currency == "JPY");
    CHECK(order.presentment->total_minor == 89841);
    CHECK_FALSE(find(plan("orders/paid", fixture("orders-paid.json")), EventType::order_paid)->order->presentment);
    // Unreadable, it is left out: the order itself still maps.
    auto odd = order_paid_in_yen();
    odd["total_price_set"]["presentment_money"]["currency_code"] = "XYZ";
    CHECK_FALSE(find(plan("orders/paid", odd.dump()), EventType::order_paid)->order->presentment);
}

TEST_CASE("a gift card bought with the order is listed as a line that earns nothing") {
    auto doc = parse_literal_json(fixture("orders-paid.json"));
    (*doc)["line_items"][1]["gift_card"] = true;
    const auto p = plan("orders/paid", doc->dump());
    const Order& order = *find(p, EventType::order_paid)->order;
    CHECK(order.lines.size() == 2);
    CHECK(order.non_earning_lines == std::vector<std::string>{"518995019"});
}

TEST_CASE("an amount-only refund given back in the buyer's currency carries it, whichever webhook tells it") {
    const auto created = plan("refunds/create", yen_refund_without_lines().dump());
    REQUIRE(created.events.size() == 1);
    const Event& bare = created.events[0];
    CHECK(bare.order->currency == "JPY");  // the stub order names the currency of the amount
    CHECK(bare.refund->amount_minor == 31000);
    CHECK(bare.refund->lines.empty());

    auto cancelled = parse_literal_json(fixture("orders-cancelled.json"));
    (*cancelled)["refunds"] = nlohmann::json::array({yen_refund_without_lines()});
    const auto p = plan("orders/cancelled", cancelled->dump());
    const Event* in_snapshot = find(p, EventType::order_refunded);
    REQUIRE(in_snapshot);
    CHECK(in_snapshot->id == bare.id);
    CHECK(in_snapshot->order->currency == "USD");
    CHECK(in_snapshot->refund->currency == "JPY");
    CHECK(in_snapshot->refund->amount_minor == 31000);
}

TEST_CASE("a refund of shipping tells its shop-money amount and tax apart from the money given back") {
    auto doc = parse_literal_json(fixture("refunds-create.json"));
    (*doc)["refund_line_items"] = nlohmann::json::array();
    (*doc)["refund_shipping_lines"] = nlohmann::json::array(
        {{{"id", 623176826}, {"shipping_line_id", 369256396},
          {"subtotal_amount_set", {{"shop_money", {{"amount", "5.00"}, {"currency_code", "USD"}}},
                                   {"presentment_money", {{"amount", "5.00"}, {"currency_code", "USD"}}}}},
          {"tax_amount_set", {{"shop_money", {{"amount", "0.50"}, {"currency_code", "USD"}}},
                              {"presentment_money", {{"amount", "0.50"}, {"currency_code", "USD"}}}}}}});
    (*doc)["transactions"][0]["amount"] = "5.50";
    const auto p = plan("refunds/create", doc->dump());
    REQUIRE(p.events.size() == 1);
    CHECK(p.events[0].refund->amount_minor == 550);
    CHECK(p.events[0].refund->shipping_minor == 550);
    CHECK(p.events[0].refund->lines.empty());
    // In a Shopify Markets order the money went back in yen, the shipping is still shop money.
    (*doc)["transactions"][0]["currency"] = "JPY";
    (*doc)["transactions"][0]["amount"] = "820";
    const auto yen = plan("refunds/create", doc->dump());
    CHECK(yen.events[0].order->currency == "USD");
    CHECK(yen.events[0].refund->currency == "JPY");
    CHECK(yen.events[0].refund->amount_minor == 820);
    CHECK(yen.events[0].refund->shipping_minor == 550);
}

TEST_CASE("a shop-money amount in another currency than the order's is refused naming the field") {
    auto doc = parse_literal_json(fixture("orders-paid.json"));
    (*doc)["total_price_set"]["shop_money"]["currency_code"] = "EUR";
    auto p = plan_webhook(Topic::orders_paid, doc->dump(), "s1", {});
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().field == "total_price_set.shop_money.currency_code");
}

TEST_CASE("the referral code comes from the note attributes before any discount code") {
    auto doc = parse_literal_json(fixture("orders-paid.json"));
    (*doc)["note_attributes"].push_back({{"name", "rewardd_referral_code"}, {"value", "KARI-7"}});
    CHECK(find(plan("orders/paid", doc->dump()), EventType::order_paid)->order->referral_code ==
          std::optional<std::string>("KARI-7"));
}

TEST_CASE("an over-long referral attribute is no referral code, so the stored event stays readable") {
    // Cart attributes are the shopper's to set: one of 300 characters was kept, stored and then
    // refused when the event was read back to be applied, so the order never earned.
    auto doc = parse_literal_json(fixture("orders-paid.json"));
    (*doc)["discount_codes"] = nlohmann::json::array();
    (*doc)["note_attributes"].push_back({{"name", "ref"}, {"value", std::string(300, 'x')}});
    const WebhookPlan mapped = plan("orders/paid", doc->dump());
    const Event* paid = find(mapped, EventType::order_paid);
    REQUIRE(paid);
    CHECK(paid->order->referral_code == std::nullopt);
    const auto stored = parse_event_json(event_to_json(*paid), "s1");
    CHECK_MESSAGE(stored.ok(), (stored.ok() ? "" : stored.error().message));
}

TEST_CASE("a redemption code rewardd issued is a used code, never a referral code") {
    auto doc = parse_literal_json(fixture("orders-paid.json"));
    (*doc)["discount_codes"] = nlohmann::json::array({{{"code", "RWD-1A2B-3C4D-5E6F"}, {"amount", "3.00"}}});
    const auto order = find(plan("orders/paid", doc->dump()), EventType::order_paid)->order;
    CHECK(order->referral_code == std::nullopt);
    CHECK(order->codes == std::vector<std::string>{"RWD-1A2B-3C4D-5E6F"});
}

TEST_CASE("an unpaid order yields only the placed event and a test order nothing") {
    auto doc = parse_literal_json(fixture("orders-paid.json"));
    (*doc)["financial_status"] = "pending";
    CHECK(plan("orders/create", doc->dump()).events.size() == 1);
    (*doc)["test"] = true;
    CHECK(plan("orders/create", doc->dump()).action == Action::ignore);
    CHECK(plan("orders/create", doc->dump(), MapOptions{true}).events.size() == 1);
}

TEST_CASE("a fulfilled order completes at its last successful fulfilment, for release on fulfilment") {
    auto doc = parse_literal_json(fixture("orders-paid.json"));
    CHECK(find(plan("orders/updated", doc->dump()), EventType::order_completed) == nullptr);
    (*doc)["fulfillment_status"] = "partial";
    CHECK(find(plan("orders/updated", doc->dump()), EventType::order_completed) == nullptr);
    (*doc)["fulfillment_status"] = "fulfilled";
    (*doc)["updated_at"] = "2008-01-20T09:00:00-05:00";
    (*doc)["fulfillments"] = nlohmann::json::array(
        {{{"id", 1}, {"status", "success"}, {"created_at", "2008-01-11T10:00:00-05:00"}},
         {{"id", 2}, {"status", "cancelled"}, {"created_at", "2008-01-15T10:00:00-05:00"}},
         {{"id", 3}, {"status", "success"}, {"created_at", "2008-01-12T10:00:00-05:00"}}});
    const auto p = plan("orders/fulfilled", doc->dump());
    const Event* completed = find(p, EventType::order_completed);
    REQUIRE(completed != nullptr);
    CHECK(completed->id == "shopify:s1:order:450789469:completed");
    CHECK(completed->occurred_at == 1200150000);  // 2008-01-12T15:00:00Z, not the cancelled one's day
    CHECK(find(p, EventType::order_paid) != nullptr);
    // Without fulfilment objects, the snapshot's own time.
    doc->erase("fulfillments");
    CHECK(find(plan("orders/fulfilled", doc->dump()), EventType::order_completed)->occurred_at == 1200837600);
}

TEST_CASE("money with more decimals than the currency has is refused") {
    auto doc = parse_literal_json(fixture("orders-paid.json"));
    (*doc)["line_items"][0]["price_set"]["shop_money"]["amount"] = "199.005";
    auto p = plan_webhook(Topic::orders_paid, doc->dump(), "s1", {});
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().field == "line_items[0].price_set.shop_money.amount");
}

TEST_CASE("a line whose price times quantity, or a sum of amounts, leaves the amount range is refused") {
    auto doc = parse_literal_json(fixture("orders-paid.json"));
    auto& line = (*doc)["line_items"][0];
    line["price_set"]["shop_money"]["amount"] = "90000000000.00";  // 9e12 minor: a valid amount
    line["quantity"] = 1000000000;                                 // but 9e21 in all: past int64
    auto p = plan_webhook(Topic::orders_paid, doc->dump(), "s1", {});
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == ErrorCode::amount_out_of_range);
    CHECK(p.error().field == "line_items[0].quantity");

    auto refund = parse_literal_json(fixture("refunds-create.json"));
    auto& items = (*refund)["refund_line_items"];
    for (auto& item : items) item["subtotal_set"]["shop_money"]["amount"] = "90000000000000.00";
    while (items.size() < 3) items.push_back(items[0]);
    p = plan_webhook(Topic::refunds_create, refund->dump(), "s1", {});
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == ErrorCode::amount_out_of_range);
    CHECK(p.error().field == "refund.refund_line_items[1].subtotal");
}

TEST_CASE("privacy bodies name the customer and the orders") {
    auto redact = read_privacy_subject(fixture("customers-redact.json"));
    REQUIRE(redact.ok());
    CHECK(redact->customer_id == "191167");
    CHECK(redact->email == "john@example.com");
    CHECK(redact->order_ids == std::vector<std::string>{"299938", "280263", "220458"});
    auto request = read_privacy_subject(fixture("customers-data-request.json"));
    CHECK(request->request_id == "9999");
    CHECK(plan("shop/redact", fixture("shop-redact.json")).action == Action::privacy_request);
    CHECK(plan("app/uninstalled", "{}").action == Action::uninstall);
}

TEST_CASE("a customers/create body becomes a customer.created event") {
    const auto p = plan("customers/create",
                        R"({"id":706405506,"email":" Bob@Example.com","created_at":"2025-04-02T11:29:59-05:00"})");
    REQUIRE(p.events.size() == 1);
    CHECK(p.events[0].id == "shopify:s1:customer:706405506:created");
    CHECK(p.events[0].customer->email == "bob@example.com");
}

namespace {

// An order's members (and its first line's) with values that change the mapping when read: every
// member the mapper reads, set to something other than the fixture's.
nlohmann::json every_read_member_changed(nlohmann::json doc) {
    doc["taxes_included"] = true;
    doc["contact_email"] = "contact@example.com";
    doc["email"] = "";
    doc["customer"]["email"] = "";
    doc["total_shipping_price"] = "12.00";
    doc.erase("total_shipping_price_set");
    doc["note_attributes"].push_back({{"name", "ref"}, {"value", "KARI-7"}});
    doc["cancelled_at"] = "2008-01-12T11:00:00-05:00";
    doc["fulfillment_status"] = "fulfilled";
    doc["fulfillments"] = {{{"status", "success"}, {"created_at", "2008-01-11T11:00:00-05:00"}}};
    auto& lines = doc["line_items"];
    lines.back()["quantity"] = 3;
    if (lines.size() > 1) lines[0]["gift_card"] = true;
    return doc;
}

std::vector<std::string> mapped_without_filter(const std::string& body) {
    auto doc = parse_literal_json(body);
    REQUIRE(doc.ok());
    auto events = order_events(*doc, "s1");
    REQUIRE(events.ok());
    std::vector<std::string> out;
    for (const auto& e : *events) out.push_back(event_to_json(e));
    return out;
}

}  // namespace

TEST_CASE("an order parsed with only the members the mapper reads maps as the whole document does") {
    std::vector<std::string> bodies;
    for (const char* name : {"orders-paid.json", "orders-cancelled.json", "orders-create-guest-eur.json"}) {
        bodies.push_back(fixture(name));
        bodies.push_back(every_read_member_changed(*parse_literal_json(fixture(name))).dump());
    }
    for (const auto& body : bodies) {
        const auto filtered = plan("orders/updated", body);
        std::vector<std::string> texts;
        for (const auto& e : filtered.events) texts.push_back(event_to_json(e));
        CHECK(texts == mapped_without_filter(body));
    }
    // The members it does not read are really left out, at the top and in each line.
    auto doc = parse_literal_json(fixture("orders-paid.json"), 64, &order_members());
    REQUIRE(doc.ok());
    CHECK_FALSE(doc->contains("shipping_lines"));
    CHECK_FALSE(doc->contains("admin_graphql_api_id"));
    CHECK((*doc)["customer"].contains("first_name"));  // inside a kept member everything stays
    CHECK_FALSE((*doc)["line_items"][0].contains("sku"));
    CHECK((*doc)["line_items"][0].contains("price_set"));
}

TEST_CASE("a member left out of the document is still parsed: bad JSON or nesting in it is refused") {
    auto doc = *parse_literal_json(fixture("orders-paid.json"));
    nlohmann::json deep = 1;
    for (int i = 0; i < 70; ++i) deep = nlohmann::json::array({deep});
    doc["shipping_lines"] = deep;
    auto p = plan_webhook(Topic::orders_paid, doc.dump(), "s1", {});
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == ErrorCode::malformed_json);
    doc["shipping_lines"] = "x";
    std::string broken = doc.dump();
    broken.insert(broken.find("\"shipping_lines\":") + 17, "[1,,2],");
    p = plan_webhook(Topic::orders_paid, broken, "s1", {});
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == ErrorCode::malformed_json);
}
