// The neutral event format of EVENTS.md: the sample parses; every malformed input is refused with
// the field named.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "adapters/neutral/event_json.hpp"

using namespace rewardd;

namespace {

const std::string k_sample = R"({
  "id": "evt-0001", "type": "order.paid", "occurred_at": "2026-11-22T10:00:00Z",
  "order": {"id": "1001", "currency": "NOK", "customer": {"id": "77", "email": " Kari@Example.com "},
    "lines": [{"id": "l1", "product_id": "p1", "categories": ["shoes"], "quantity": 2, "total": 39800}],
    "discount": 0, "tax": 9950, "shipping": 4900, "total": 54650, "referral_code": null},
  "refund": null})";

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("the EVENTS.md sample parses into an order.paid event with a normalised e-mail") {
    auto event = parse_event_json(k_sample, "shop1");
    REQUIRE(event.ok());
    CHECK(event->type == EventType::order_paid);
    CHECK(event->order->customer.email == "kari@example.com");
    CHECK(event->order->lines[0].total_minor == 39800);
    CHECK(event->order->lines[0].categories == std::vector<std::string>{"shoes"});
    CHECK(event->occurred_at == 1795341600);
    auto again = parse_event_json(event_to_json(*event), "shop1");
    REQUIRE(again.ok());
    CHECK(event_to_json(*again) == event_to_json(*event));
}

TEST_CASE("malformed events are refused naming the field") {
    struct Row { std::string body; const char* field; ErrorCode code; };
    const Row rows[] = {
        {replace(k_sample, "\"total\": 39800", "\"total\": \"398.00\""), "order.lines[0].total", ErrorCode::invalid_field},
        {replace(k_sample, "\"total\": 39800", "\"total\": -5"), "order.lines[0].total", ErrorCode::invalid_field},
        {replace(k_sample, "\"total\": 39800", "\"total\": 1e30"), "order.lines[0].total", ErrorCode::invalid_field},
        {replace(k_sample, "\"total\": 39800", "\"total\": 99999999999999999999"), "order.lines[0].total", ErrorCode::invalid_field},
        {replace(k_sample, "\"NOK\"", "\"XYZ\""), "order.currency", ErrorCode::unknown_currency},
        {replace(k_sample, "\"order.paid\"", "\"order.exploded\""), "type", ErrorCode::invalid_field},
        {replace(k_sample, "\"2026-11-22T10:00:00Z\"", "\"yesterday\""), "occurred_at", ErrorCode::invalid_field},
        {replace(k_sample, "\"id\": \"evt-0001\", ", ""), "id", ErrorCode::missing_field},
        {replace(k_sample, "\"lines\": [", "\"lines\": 5, \"x\": ["), "order.lines", ErrorCode::missing_field},
        {replace(k_sample, "\"order.paid\"", "\"order.refunded\""), "refund", ErrorCode::missing_field},
        {replace(k_sample, " Kari@Example.com ", "not-an-email"), "order.customer.email", ErrorCode::invalid_field},
    };
    for (const auto& row : rows) {
        CAPTURE(row.field);
        auto event = parse_event_json(row.body, "shop1");
        REQUIRE_FALSE(event.ok());
        CHECK(event.error().field == row.field);
    }
}

TEST_CASE("bodies that are not JSON, not objects, too deep or not UTF-8 are refused") {
    CHECK(parse_event_json(k_sample.substr(0, 40), "s").error().code == ErrorCode::malformed_json);
    CHECK(parse_event_json("[1,2,3]", "s").error().code == ErrorCode::malformed_json);
    CHECK(parse_event_json(std::string(100, '[') + std::string(100, ']'), "s").error().code == ErrorCode::malformed_json);
    CHECK(parse_event_json("{\"id\": \"\xff\xfe\"}", "s").error().code == ErrorCode::malformed_json);
    CHECK(parse_event_json("", "s").error().code == ErrorCode::malformed_json);
}

TEST_CASE("an order's discount codes round-trip, and are left out when there are none") {
    auto event = parse_event_json(replace(k_sample, "\"referral_code\": null", "\"codes\": [\"rwd-1a2b\", \"SUMMER\"]"),
                                  "shop1");
    REQUIRE(event.ok());
    CHECK(event->order->codes == std::vector<std::string>{"rwd-1a2b", "SUMMER"});
    auto again = parse_event_json(event_to_json(*event), "shop1");
    REQUIRE(again.ok());
    CHECK(again->order->codes == event->order->codes);
    CHECK(event_to_json(*parse_event_json(k_sample, "shop1")).find("codes") == std::string::npos);
    const auto bad = parse_event_json(replace(k_sample, "\"referral_code\": null", "\"codes\": [\"\"]"), "shop1");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().field == "order.codes[0]");
}

TEST_CASE("the buyer's currency, lines that earn nothing and a refund's own currency round-trip, absent when unset") {
    const std::string extras =
        "\"presentment\": {\"currency\": \"JPY\", \"total\": 820000}, \"non_earning_lines\": [\"gc1\"]";
    auto event = parse_event_json(replace(k_sample, "\"referral_code\": null", extras), "shop1");
    REQUIRE(event.ok());
    REQUIRE(event->order->presentment);
    CHECK(event->order->presentment->currency == "JPY");
    CHECK(event->order->presentment->total_minor == 820000);
    CHECK(event->order->non_earning_lines == std::vector<std::string>{"gc1"});
    auto again = parse_event_json(event_to_json(*event), "shop1");
    REQUIRE(again.ok());
    CHECK(again->order->presentment == event->order->presentment);
    CHECK(again->order->non_earning_lines == event->order->non_earning_lines);

    const std::string refunded = replace(replace(k_sample, "\"order.paid\"", "\"order.refunded\""), "\"refund\": null",
                                         "\"refund\": {\"id\": \"r1\", \"amount\": 41000, \"currency\": \"JPY\"}");
    auto refund = parse_event_json(refunded, "shop1");
    REQUIRE(refund.ok());
    CHECK(refund->refund->currency == "JPY");
    CHECK(parse_event_json(event_to_json(*refund), "shop1")->refund->currency == "JPY");

    // Older bodies (and events without these facts) stay byte for byte as they were.
    const std::string plain = event_to_json(*parse_event_json(k_sample, "shop1"));
    CHECK(plain.find("presentment") == std::string::npos);
    CHECK(plain.find("non_earning_lines") == std::string::npos);
    const auto plain_refund = replace(refunded, ", \"currency\": \"JPY\"}", "}");
    const auto plain_doc = nlohmann::json::parse(event_to_json(*parse_event_json(plain_refund, "shop1")));
    CHECK_FALSE(plain_doc["refund"].contains("currency"));
}

TEST_CASE("a bad buyer's currency, line id list or refund currency is refused naming the field") {
    struct Row { std::string extra; const char* field; };
    const Row rows[] = {
        {"\"presentment\": {\"currency\": \"XYZ\", \"total\": 5}", "order.presentment.currency"},
        {"\"presentment\": {\"currency\": \"JPY\", \"total\": -5}", "order.presentment.total"},
        {"\"presentment\": {\"currency\": \"JPY\"}", "order.presentment.total"},
        {"\"presentment\": \"JPY\"", "order.presentment"},
        {"\"non_earning_lines\": [7]", "order.non_earning_lines[0]"},
        {"\"non_earning_lines\": \"gc1\"", "order.non_earning_lines"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.field);
        auto event = parse_event_json(replace(k_sample, "\"referral_code\": null", row.extra), "shop1");
        REQUIRE_FALSE(event.ok());
        CHECK(event.error().field == row.field);
    }
    const std::string refunded = replace(replace(k_sample, "\"order.paid\"", "\"order.refunded\""), "\"refund\": null",
                                         "\"refund\": {\"id\": \"r1\", \"amount\": 5, \"currency\": \"XYZ\"}");
    auto refund = parse_event_json(refunded, "shop1");
    REQUIRE_FALSE(refund.ok());
    CHECK(refund.error().field == "refund.currency");
}

TEST_CASE("a refund's shipping part round-trips, is left out when none and is never negative") {
    const std::string refunded = replace(replace(k_sample, "\"order.paid\"", "\"order.refunded\""), "\"refund\": null",
                                         "\"refund\": {\"id\": \"r1\", \"amount\": 5500, \"shipping\": 550}");
    auto refund = parse_event_json(refunded, "shop1");
    REQUIRE(refund.ok());
    CHECK(refund->refund->shipping_minor == 550);
    CHECK(parse_event_json(event_to_json(*refund), "shop1")->refund->shipping_minor == 550);
    refund->refund->shipping_minor = 0;
    const std::string plain = event_to_json(*refund);
    CHECK(plain.find("\"shipping\":", plain.find("\"refund\":")) == std::string::npos);
    const auto negative = parse_event_json(replace(refunded, "550}", "-550}"), "shop1");
    REQUIRE_FALSE(negative.ok());
    CHECK(negative.error().field == "refund.shipping");
}

TEST_CASE("a refund's fees part round-trips beside its shipping, is left out when none and is never negative") {
    const std::string refunded =
        replace(replace(k_sample, "\"order.paid\"", "\"order.refunded\""), "\"refund\": null",
                "\"refund\": {\"id\": \"r1\", \"amount\": 5500, \"shipping\": 550, \"fees\": 1000}");
    auto refund = parse_event_json(refunded, "shop1");
    REQUIRE(refund.ok());
    CHECK(refund->refund->fees_minor == 1000);
    const auto back = parse_event_json(event_to_json(*refund), "shop1");
    REQUIRE(back.ok());
    CHECK(back->refund->fees_minor == 1000);
    CHECK(back->refund->shipping_minor == 550);
    refund->refund->fees_minor = 0;
    const std::string plain = event_to_json(*refund);
    CHECK(plain.find("\"fees\":", plain.find("\"refund\":")) == std::string::npos);
    const auto negative = parse_event_json(replace(refunded, "1000}", "-1000}"), "shop1");
    REQUIRE_FALSE(negative.ok());
    CHECK(negative.error().field == "refund.fees");
}
