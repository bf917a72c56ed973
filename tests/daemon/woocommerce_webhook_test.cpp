// End to end: the real WooCommerce 7.9 deliveries (bodies and signatures byte for byte) into the
// real daemon; the ledger read back from its database.
#include <vector>

#include "daemon/shopify_support.hpp"
#include "woocommerce/capture.hpp"

using namespace rewardd::test;
using rewardd::test::shopify::balance;
using rewardd::test::shopify::eventually;
using rewardd::test::shopify::json;
using rewardd::test::shopify::ledger_fingerprint;
using rewardd::test::shopify::query_int;
using rewardd::test::shopify::wait_applied;
using rewardd::test::woocommerce::Capture;
using rewardd::test::woocommerce::read_capture;

namespace {

// The captured deliveries are signed as recorded, so their dates (November 2026) stay as they are.
// The ordering and restore tests compare ledgers made while the order's points are pending; with the
// default 14 days those points are released at once once that is past, and then when the release
// check runs between deliveries decides what a later refund takes from (pending or available).
// A long pending period keeps them pending, as they were when the deliveries were recorded.
std::vector<std::string> pending_long_config(const TempDir& dir) {
    return config_args(dir, "[rules]\npending_days = 3650\n");
}

const std::string k_secret = "test-webhook-secret";
const std::string k_ada = "ada@example.test";
const std::string k_route = "/webhooks/woocommerce/wc1";

void add_shop(const std::string& data) {
    const auto r = run_rewardd({"shop", "add", "wc1", "--platform", "woocommerce", "--secret", k_secret, "--url",
                                "http://127.0.0.1:8081", "--data", data});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

// Posts a capture exactly as WooCommerce sent it: its body bytes and its X-WC-* headers.
httplib::Result post_capture(const DaemonProcess& d, const std::string& name) {
    const Capture c = read_capture(name);
    httplib::Headers h;
    for (const auto& [k, v] : c.headers) {
        if (k.rfind("X-WC-", 0) == 0 || k == "User-Agent") h.emplace(k, v);
    }
    return d.client().Post(k_route.c_str(), h, c.body, c.headers.at("Content-Type").c_str());
}

httplib::Result post_signed(const DaemonProcess& d, const std::string& topic, const std::string& body,
                            const std::string& secret = k_secret) {
    httplib::Headers h{{"X-WC-Webhook-Topic", topic}, {"X-WC-Webhook-Signature", sign(secret, body)},
                       {"X-WC-Webhook-ID", "2"}};
    return d.client().Post(k_route.c_str(), h, body, "application/json");
}

std::string with_status(std::string body, const std::string& status) {
    body.replace(body.find("\"status\":\"processing\""), 21, "\"status\":\"" + status + "\"");
    return body;
}

std::int64_t entries(const std::string& data, const std::string& kind) {
    return query_int(data, "SELECT COUNT(*) FROM ledger WHERE kind = '" + kind + "'");
}

const std::vector<std::string> k_orderly{"003-order.created.http", "004-order.updated.http", "005-order.updated.http",
                                         "006-order.updated.http", "007-order.updated.http"};

}  // namespace

TEST_CASE("WooCommerce's ping is answered with exactly 200, without a signature") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    for (const char* name : {"001-ping.http", "002-ping.http"}) {
        auto res = post_capture(daemon, name);
        REQUIRE(res);
        CHECK(res->status == 200);
        CHECK(res->body.empty());
    }
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM events") == 0);
}

TEST_CASE("the captured order earns when paid and is taken back by its partial and full refunds") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    auto created = post_capture(daemon, "003-order.created.http");
    REQUIRE(created);
    CHECK(created->status == 200);
    CHECK(json::parse(created->body)["status"] == "applied");
    wait_applied(dir.str());
    const auto earned = balance(dir.str(), k_ada);
    CHECK(earned == 50);  // 50.00 USD at the default 1 point per 1.00
    CHECK(entries(dir.str(), "earn_pending") == 1);

    auto same = post_capture(daemon, "004-order.updated.http");  // same body as 003: nothing new
    CHECK(same->status == 200);
    CHECK(json::parse(same->body)["status"] == "duplicate");
    REQUIRE(post_capture(daemon, "005-order.updated.http")->status == 200);  // completed
    wait_applied(dir.str());
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM events WHERE event_id = 'woocommerce:wc1:order:12:completed'") == 1);

    REQUIRE(post_capture(daemon, "006-order.updated.http")->status == 200);  // refund 14: 20.00
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_ada) == 30);
    REQUIRE(post_capture(daemon, "007-order.updated.http")->status == 200);  // refund 15: the rest
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_ada) == 0);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM events WHERE type = 'order.refunded'") == 2);
}

TEST_CASE("an order in a currency the table once lacked (Georgian lari) is taken and earns") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    std::string body = read_capture("003-order.created.http").body;
    REQUIRE(body.find("\"currency\":\"USD\"") != std::string::npos);
    body.replace(body.find("\"currency\":\"USD\""), 16, "\"currency\":\"GEL\"");
    auto res = post_signed(daemon, "order.created", body);
    REQUIRE(res);
    CHECK(res->status == 200);
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_ada) == 50);  // 50.00 GEL at the default 1 point per 1.00
}

TEST_CASE("repeated and reordered deliveries leave the same ledger as the orderly ones") {
    TempDir orderly, shuffled;
    add_shop(orderly.str());
    add_shop(shuffled.str());
    {
        DaemonProcess daemon(orderly.str(), pending_long_config(orderly));
        for (const auto& name : k_orderly) {
            REQUIRE(post_capture(daemon, name)->status == 200);
            wait_applied(orderly.str());
        }
    }
    {
        DaemonProcess daemon(shuffled.str(), pending_long_config(shuffled));
        for (const char* name : {"006-order.updated.http", "003-order.created.http", "006-order.updated.http",
                                 "005-order.updated.http", "003-order.created.http", "007-order.updated.http",
                                 "004-order.updated.http", "007-order.updated.http"}) {
            REQUIRE(post_capture(daemon, name)->status == 200);
            wait_applied(shuffled.str());
        }
    }
    CHECK(ledger_fingerprint(shuffled.str()) == ledger_fingerprint(orderly.str()));
    CHECK(balance(shuffled.str(), k_ada) == 0);
    CHECK(query_int(shuffled.str(), "SELECT COUNT(*) FROM events") ==
          query_int(orderly.str(), "SELECT COUNT(*) FROM events"));
}

TEST_CASE("an order first seen already refunded gets its earning and then its reversal") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    REQUIRE(post_capture(daemon, "007-order.updated.http")->status == 200);
    wait_applied(dir.str());
    CHECK(entries(dir.str(), "earn_pending") == 1);
    CHECK(query_int(dir.str(), "SELECT pending_delta FROM ledger WHERE kind = 'earn_pending'") == 50);
    CHECK(query_int(dir.str(), "SELECT MIN(seq) FROM ledger WHERE kind = 'earn_pending'") <
          query_int(dir.str(), "SELECT MIN(seq) FROM ledger WHERE kind <> 'earn_pending'"));
    CHECK(balance(dir.str(), k_ada) == 0);
}

TEST_CASE("a cancelled order and a trashed order give their points back") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    const std::string body = read_capture("003-order.created.http").body;
    REQUIRE(post_signed(daemon, "order.created", body)->status == 200);
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_ada) == 50);
    REQUIRE(post_signed(daemon, "order.updated", with_status(body, "cancelled"))->status == 200);
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_ada) == 0);
    CHECK(entries(dir.str(), "reverse") == 1);

    std::string other = body;
    other.replace(other.find("{\"id\":12,"), 9, "{\"id\":13,");
    REQUIRE(post_signed(daemon, "order.created", other)->status == 200);
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_ada) == 50);
    auto trashed = post_signed(daemon, "order.deleted", "{\"id\":13}");
    REQUIRE(trashed);
    CHECK(trashed->status == 200);
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_ada) == 0);
    CHECK(post_signed(daemon, "order.deleted", "{\"id\":999}")->status == 200);  // unknown: ignored
}

// order.restored is the order as it is after the restore: its date_modified_gmt is the restore's.
std::string restored_at(std::string body, const std::string& modified) {
    const std::string field = "\"date_modified_gmt\":\"2026-11-22T10:12:08\"";
    body.replace(body.find(field), field.size(), "\"date_modified_gmt\":\"" + modified + "\"");
    return body;
}

TEST_CASE("a trashed order restored from the trash counts again, and trashed again is reversed again") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str(), pending_long_config(dir));
    const std::string body = read_capture("003-order.created.http").body;
    REQUIRE(post_capture(daemon, "003-order.created.http")->status == 200);
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_ada) == 50);

    REQUIRE(post_signed(daemon, "order.deleted", "{\"id\":12}")->status == 200);
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_ada) == 0);

    const std::string restored = restored_at(body, "2026-11-22T11:00:00");
    auto back = post_signed(daemon, "order.restored", restored);
    REQUIRE(back);
    CHECK(back->status == 200);
    CHECK(json::parse(back->body)["new_events"] == 1);
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_ada) == 50);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM ledger WHERE key = 'wc1:order:12:earn:1:restore:1' "
                               "AND event_id = 'woocommerce:wc1:order:12:restored:2026-11-22T11:00:00Z'") == 1);

    auto again = post_signed(daemon, "order.restored", restored);  // repeated: pays nothing twice
    CHECK(json::parse(again->body)["status"] == "duplicate");
    REQUIRE(post_capture(daemon, "004-order.updated.http")->status == 200);  // a full snapshot after it
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_ada) == 50);

    REQUIRE(post_signed(daemon, "order.deleted", "{\"id\":12}")->status == 200);
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_ada) == 0);
    REQUIRE(post_signed(daemon, "order.deleted", "{\"id\":12}")->status == 200);  // trashed already: nothing more
    wait_applied(dir.str());
    CHECK(balance(dir.str(), k_ada) == 0);
    CHECK(entries(dir.str(), "reverse") == 2);
    CHECK(entries(dir.str(), "earn_pending") == 2);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM events WHERE event_id = 'woocommerce:wc1:order:12:deleted:2'") == 1);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM conflicts") == 0);
}

TEST_CASE("a restore delivered before its deletion leaves the same ledger as the orderly pair") {
    const std::string restored = restored_at(read_capture("003-order.created.http").body, "2026-11-22T11:00:00");
    const auto run = [&](const TempDir& dir, bool swapped) {
        add_shop(dir.str());
        DaemonProcess daemon(dir.str(), pending_long_config(dir));
        REQUIRE(post_capture(daemon, "003-order.created.http")->status == 200);
        wait_applied(dir.str());
        if (swapped) REQUIRE(post_signed(daemon, "order.restored", restored)->status == 200);
        REQUIRE(post_signed(daemon, "order.deleted", "{\"id\":12}")->status == 200);
        if (!swapped) REQUIRE(post_signed(daemon, "order.restored", restored)->status == 200);
        wait_applied(dir.str());
    };
    TempDir orderly, swapped;
    run(orderly, false);
    run(swapped, true);
    CHECK(balance(swapped.str(), k_ada) == 50);
    CHECK(ledger_fingerprint(swapped.str()) == ledger_fingerprint(orderly.str()));
    CHECK(query_int(swapped.str(), "SELECT COUNT(*) FROM conflicts") == 0);
}

TEST_CASE("a bad signature is refused with 401, a malformed body with 400, and nothing is stored") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    const Capture c = read_capture("003-order.created.http");
    auto wrong_key = post_signed(daemon, "order.created", c.body, "not-the-secret");
    REQUIRE(wrong_key);
    CHECK(wrong_key->status == 401);
    CHECK(json::parse(wrong_key->body)["error"] == "signature_mismatch");

    std::string tampered = c.body;
    tampered.replace(tampered.find("\"50.00\""), 7, "\"90.00\"");
    httplib::Headers h{{"X-WC-Webhook-Topic", "order.created"},
                       {"X-WC-Webhook-Signature", c.headers.at("X-WC-Webhook-Signature")}};
    CHECK(daemon.client().Post(k_route.c_str(), h, tampered, "application/json")->status == 401);
    CHECK(daemon.client().Post(k_route.c_str(), c.body, "application/json")->status == 401);  // unsigned

    auto unknown = daemon.client().Post("/webhooks/woocommerce/nosuchshop", h, c.body, "application/json");
    CHECK(unknown->status == 401);
    CHECK(json::parse(unknown->body)["error"] == "unknown_shop");

    auto malformed = post_signed(daemon, "order.created", "{\"id\":12,");
    REQUIRE(malformed);
    CHECK(malformed->status == 400);
    CHECK(json::parse(malformed->body)["error"] == "malformed_json");
    std::string bad_currency = c.body;
    bad_currency.replace(bad_currency.find("\"USD\""), 5, "\"XXX\"");
    auto invalid = post_signed(daemon, "order.created", bad_currency);
    CHECK(invalid->status == 400);
    CHECK(json::parse(invalid->body)["field"] == "currency");

    auto other_topic = post_signed(daemon, "product.updated", "{\"id\":10}");  // authentic: 200, ignored
    CHECK(other_topic->status == 200);
    CHECK(json::parse(other_topic->body)["status"] == "ignored");
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM events") == 0);
}
