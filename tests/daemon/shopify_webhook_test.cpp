// End to end: Shopify webhook deliveries (the fixture bodies byte for byte, with their recorded
// headers) into the real daemon; the ledger read back from its database.
#include "daemon/shopify_support.hpp"

#include <fstream>

#include "net/signature.hpp"

using namespace rewardd::test;
using namespace rewardd::test::shopify;

namespace {

const std::string k_bob = "bob.norman@mail.example.com";

json body_of(const httplib::Result& r) { return json::parse(r->body); }

}  // namespace

TEST_CASE("Shopify's official HMAC test vector verifies") {
    CHECK(rewardd::signature_matches("test_secret_key", "{\"foo\": \"bar\"}",
                                     "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="));
    CHECK_FALSE(rewardd::signature_matches("test_secret_key", "{\"foo\": \"baz\"}",
                                           "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="));
}

TEST_CASE("a paid Shopify order delivered with its recorded headers earns the customer's points") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    auto res = post_fixture(daemon, "orders-paid.json");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(body_of(res)["status"] == "applied");
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_bob) == 587);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM events WHERE event_id = 'shopify:s1:order:450789469:paid'") == 1);
}

TEST_CASE("an order paid, then partially refunded, then cancelled ends with no points left") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    REQUIRE(post_fixture(daemon, "orders-paid.json")->status == 200);
    wait_applied(dir.str());
    REQUIRE(post_fixture(daemon, "refunds-create.json")->status == 200);
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_bob) > 0);
    CHECK(balance(dir.str(), k_bob) < 587);
    REQUIRE(post_fixture(daemon, "orders-cancelled.json")->status == 200);
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_bob) == 0);
}

// Shopify's mock cancel reply lists a refund (929361465) that overlaps refunds/create's refund
// 509562969 on the same lines (fixtures/README.md). A real store's cancellation lists the refunds
// the order had, so the consistent history swaps in refund 509562969.
std::string consistent_cancel_body() {
    json cancelled = json::parse(fixture("orders-cancelled.json"));
    cancelled["refunds"] = json::array({json::parse(fixture("refunds-create.json"))});
    return cancelled.dump();
}

TEST_CASE("duplicate, late and reordered deliveries leave the same ledger as the orderly ones") {
    TempDir orderly, shuffled;
    add_shop(orderly.str());
    add_shop(shuffled.str());
    const std::string cancel = consistent_cancel_body();
    {
        DaemonProcess daemon(orderly.str());
        REQUIRE(post_fixture(daemon, "orders-paid.json")->status == 200);
        wait_applied(orderly.str());
        REQUIRE(post_fixture(daemon, "refunds-create.json")->status == 200);
        wait_applied(orderly.str());
        REQUIRE(post_signed(daemon, "orders/cancelled", cancel, "cancel-1")->status == 200);
        wait_applied(orderly.str());
    }
    {
        DaemonProcess daemon(shuffled.str());
        REQUIRE(post_signed(daemon, "orders/cancelled", cancel, "cancel-1")->status == 200);
        wait_applied(shuffled.str());
        REQUIRE(post_fixture(daemon, "refunds-create.json")->status == 200);
        auto repeat = post_signed(daemon, "orders/cancelled", cancel, "cancel-1");  // same webhook id: dropped at the door
        CHECK(repeat->status == 200);
        CHECK(body_of(repeat)["status"] == "duplicate");
        // The same facts under a new delivery id (a second subscription): duplicates in the inbox.
        auto again = post_signed(daemon, "orders/paid", fixture("orders-paid.json"), "another-delivery-id");
        CHECK(again->status == 200);
        CHECK(body_of(again)["status"] == "duplicate");
        wait_applied(shuffled.str());
    }
    CHECK(ledger_fingerprint(shuffled.str()) == ledger_fingerprint(orderly.str()));
    CHECK(balance(shuffled.str(), k_bob) == 0);
    CHECK(balance(orderly.str(), k_bob) == 0);
}

TEST_CASE("a delivery with a bad HMAC or an unknown shop domain is refused with 401 and stores nothing") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    auto bad = post_signed(daemon, "orders/paid", fixture("orders-paid.json"), "w-1", "not-the-secret");
    REQUIRE(bad);
    CHECK(bad->status == 401);
    CHECK(body_of(bad)["error"] == "signature_mismatch");

    std::string tampered = fixture("orders-paid.json");
    tampered.replace(tampered.find("199.00"), 6, "999.00");
    httplib::Headers h{{"X-Shopify-Shop-Domain", k_domain}, {"X-Shopify-Topic", "orders/paid"},
                       {"X-Shopify-Webhook-Id", "w-2"},
                       {"X-Shopify-Hmac-Sha256", recorded_headers("orders-paid.json")["X-Shopify-Hmac-Sha256"]}};
    CHECK(daemon.client().Post("/webhooks/shopify", h, tampered, "application/json")->status == 401);

    h = {{"X-Shopify-Shop-Domain", "other.myshopify.com"}, {"X-Shopify-Topic", "orders/paid"},
         {"X-Shopify-Webhook-Id", "w-3"}, {"X-Shopify-Hmac-Sha256", sign(k_secret, fixture("orders-paid.json"))}};
    auto unknown = daemon.client().Post("/webhooks/shopify", h, fixture("orders-paid.json"), "application/json");
    CHECK(unknown->status == 401);
    CHECK(body_of(unknown)["error"] == "unknown_shop");
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM events") == 0);
}

TEST_CASE("a delivery signed with either of the shop's keys is taken: the client secret or the legacy --secret") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    const std::string body = fixture("orders-paid.json");
    CHECK(post_signed(daemon, "orders/paid", body, "w-client", k_secret)->status == 200);
    CHECK(post_signed(daemon, "orders/paid", body, "w-legacy", "legacy-webhook-secret-0001")->status == 200);
    CHECK(post_signed(daemon, "orders/paid", body, "w-neither", "legacy-webhook-secret-0002")->status == 401);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM shopify_deliveries") == 2);
}

TEST_CASE("the un-prefixed shopify-* header family and a mixed-case domain are accepted") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    const std::string body = fixture("orders-paid.json");
    httplib::Headers h{{"shopify-shop-domain", "JSmith.myshopify.com"}, {"shopify-topic", "orders/paid"},
                       {"shopify-hmac-sha256", sign(k_secret, body)}, {"shopify-webhook-id", "evt-delivery-1"},
                       {"shopify-api-version", "2026-07"}};
    auto res = daemon.client().Post("/webhooks/shopify", h, body, "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_bob) == 587);
}

TEST_CASE("a payload that cannot be mapped is refused with 400 naming the field") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    std::string body = fixture("orders-paid.json");
    body.replace(body.find("\"currency\":\"USD\""), 16, "\"currency\":\"XXX\"");
    auto res = post_signed(daemon, "orders/paid", body, "w-9");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(body_of(res)["field"] == "currency");
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM events") == 0);
}

TEST_CASE("with points released on fulfilment, a Shopify order's points become available when it is fulfilled") {
    TempDir dir;
    add_shop(dir.str());
    const std::string rules = dir.str() + "/rules.toml";
    std::ofstream(rules) << "pending_mode = \"on_completion\"\n";
    const auto set = run_rewardd({"rules", "set", rules, "--effective-from", "2000-01-01T00:00:00Z", "--data", dir.str()});
    REQUIRE_MESSAGE(set.exit_code == 0, set.err);
    DaemonProcess daemon(dir.str());
    const auto held = [&](const char* column) {
        return query_int(dir.str(), std::string("SELECT COALESCE(SUM(") + column +
                                        "), 0) FROM ledger WHERE customer = '" + k_bob + "'");
    };
    REQUIRE(post_fixture(daemon, "orders-paid.json")->status == 200);
    wait_applied(dir.str());
    CHECK(held("pending_delta") == 587);  // paid in 2008: only the fulfilment releases them
    CHECK(held("available_delta") == 0);

    json fulfilled = json::parse(fixture("orders-paid.json"));
    fulfilled["fulfillment_status"] = "fulfilled";
    fulfilled["fulfillments"] = {{{"id", 255858046}, {"status", "success"}, {"created_at", "2008-01-12T10:00:00-05:00"}}};
    REQUIRE(post_signed(daemon, "orders/fulfilled", fulfilled.dump(), "w-fulfilled")->status == 200);
    wait_applied(dir.str());
    CHECK(held("pending_delta") == 0);
    CHECK(held("available_delta") == 587);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM events WHERE event_id = 'shopify:s1:order:450789469:completed'") == 1);
}

// A Shopify Markets order: the shop's money is USD (598.94, 587 points), the buyer paid 89,841 JPY.
// Refunded 31,000 JPY without lines, the money the refund tells is yen only.
TEST_CASE("a refund given back in the buyer's currency takes its share at the order's rate, whichever webhook tells it") {
    json paid = json::parse(fixture("orders-paid.json"));
    paid["presentment_currency"] = "JPY";
    paid["total_price_set"]["presentment_money"] = {{"amount", "89841"}, {"currency_code", "JPY"}};
    json refund = json::parse(fixture("refunds-create.json"));
    refund["refund_line_items"] = json::array();
    refund["transactions"][0]["currency"] = "JPY";
    refund["transactions"][0]["amount"] = "31000";
    json updated = paid;  // the same refund told by the order's next snapshot instead
    updated["financial_status"] = "partially_refunded";
    updated["refunds"] = json::array({refund});

    TempDir bare, snapshot;
    add_shop(bare.str());
    add_shop(snapshot.str());
    {
        DaemonProcess daemon(bare.str());
        REQUIRE(post_signed(daemon, "orders/paid", paid.dump(), "paid-1")->status == 200);
        wait_applied(bare.str());
        REQUIRE(balance(bare.str(), k_bob) == 587);
        REQUIRE(post_signed(daemon, "refunds/create", refund.dump(), "refund-1")->status == 200);
        wait_applied(bare.str());
    }
    {
        DaemonProcess daemon(snapshot.str());
        REQUIRE(post_signed(daemon, "orders/paid", paid.dump(), "paid-1")->status == 200);
        REQUIRE(post_signed(daemon, "orders/updated", updated.dump(), "updated-1")->status == 200);
        wait_applied(snapshot.str());
    }
    // 31,000 of 89,841 JPY is 206.66 of 598.94 USD: about a third of the points (201 of 587), where
    // 31,000 read as 310.00 USD would have taken more than half.
    CHECK(balance(bare.str(), k_bob) == 386);
    CHECK(ledger_fingerprint(snapshot.str()) == ledger_fingerprint(bare.str()));
    CHECK(query_int(bare.str(), "SELECT COUNT(*) FROM ledger WHERE kind = 'claw_back' AND reason LIKE "
                                "'refund 509562969 (31000 JPY at the order''s 89841 JPY = 59894 USD)'") > 0);
}

TEST_CASE("a refund of shipping alone leaves the order's points as they were") {
    json refund = json::parse(fixture("refunds-create.json"));
    refund["refund_line_items"] = json::array();
    refund["refund_shipping_lines"] = json::array(
        {{{"id", 623176826}, {"shipping_line_id", 369256396},
          {"subtotal_amount_set", {{"shop_money", {{"amount", "10.00"}, {"currency_code", "USD"}}},
                                   {"presentment_money", {{"amount", "10.00"}, {"currency_code", "USD"}}}}}}});
    refund["transactions"][0]["amount"] = "10.00";
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    REQUIRE(post_fixture(daemon, "orders-paid.json")->status == 200);
    REQUIRE(post_signed(daemon, "refunds/create", refund.dump(), "refund-shipping")->status == 200);
    wait_applied(dir.str());
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM events WHERE type = 'order.refunded'") == 1);
    CHECK(balance(dir.str(), k_bob) == 587);
}
