// A request id per delivery: the platform's delivery id (or X-Request-Id, or a generated id) is
// answered in X-Request-Id and carried by the handler's log lines and the access log line.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "support/daemon_process.hpp"

using namespace rewardd::test;

namespace {

// The access log line is written just after the answer is sent: wait for it (bounded).
bool log_has(const DaemonProcess& d, const std::string& text) {
    for (int i = 0; i < 200; ++i) {
        if (d.log().find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

}  // namespace

TEST_CASE("a Shopify delivery's webhook id is its request id, in the answer and in every log line") {
    TempDir dir;
    DaemonProcess daemon(dir.str());
    httplib::Headers h{{"X-Shopify-Shop-Domain", "nobody.myshopify.com"}, {"X-Shopify-Topic", "orders/paid"},
                       {"X-Shopify-Hmac-Sha256", "AAAA"}, {"X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f"}};
    auto res = daemon.client().Post("/webhooks/shopify", h, "{}", "application/json");
    REQUIRE(res);
    CHECK(res->status == 401);
    CHECK(res->get_header_value("X-Request-Id") == "b54557e4-bdd9-4b37-8a5f");
    CHECK(log_has(daemon, "shopify: unknown_shop domain=nobody.myshopify.com request=b54557e4-bdd9-4b37-8a5f"));
    CHECK(log_has(daemon, "http: POST /webhooks/shopify status=401 bytes=2 request=b54557e4-bdd9-4b37-8a5f"));
}

TEST_CASE("access_log_level off writes no access log line, handlers' lines still carry the id") {
    TempDir dir;
    const std::string config = dir.str() + "/rewardd.toml";
    std::ofstream(config) << "access_log_level = \"off\"\n";
    DaemonProcess daemon(dir.str(), {"--config", config});
    httplib::Headers h{{"X-Shopify-Shop-Domain", "nobody.myshopify.com"}, {"X-Shopify-Topic", "orders/paid"},
                       {"X-Shopify-Hmac-Sha256", "AAAA"}, {"X-Shopify-Webhook-Id", "quiet-1"}};
    // One keep-alive connection: the server thread writes a request's access line before it reads
    // the next request, so once the second is answered the first one's line would be there.
    auto cli = daemon.client();
    cli.set_keep_alive(true);
    auto res = cli.Post("/webhooks/shopify", h, "{}", "application/json");
    REQUIRE(res);
    CHECK(res->status == 401);
    REQUIRE(cli.Get("/healthz"));
    REQUIRE(log_has(daemon, "shopify: unknown_shop domain=nobody.myshopify.com request=quiet-1"));
    CHECK(daemon.log().find("http: POST /webhooks/shopify") == std::string::npos);
    CHECK(daemon.log().find("http: GET /healthz") == std::string::npos);
    CHECK(daemon.log().find("[off]") == std::string::npos);
}

TEST_CASE("a WooCommerce delivery's id is its request id") {
    TempDir dir;
    DaemonProcess daemon(dir.str());
    httplib::Headers h{{"X-WC-Webhook-Delivery-ID", "8812"}, {"X-WC-Webhook-Topic", "order.updated"}};
    auto res = daemon.client().Post("/webhooks/woocommerce/wc9", h, "{}", "application/json");
    REQUIRE(res);
    CHECK(res->get_header_value("X-Request-Id") == "8812");
    CHECK(log_has(daemon, "woocommerce: unknown_shop shop=wc9 request=8812"));
}

TEST_CASE("without a delivery id each request gets its own generated id, unsafe ids are replaced") {
    TempDir dir;
    DaemonProcess daemon(dir.str());
    std::set<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        auto res = daemon.client().Get("/healthz");
        REQUIRE(res);
        const std::string id = res->get_header_value("X-Request-Id");
        CHECK(id.rfind("r-", 0) == 0);
        CHECK(log_has(daemon, "request=" + id));
        ids.insert(id);
    }
    CHECK(ids.size() == 3);

    auto given = daemon.client().Get("/healthz", {{"X-Request-Id", "lb-42.a"}});
    REQUIRE(given);
    CHECK(given->get_header_value("X-Request-Id") == "lb-42.a");
    auto forged = daemon.client().Get("/healthz", {{"X-Request-Id", "x status=200 shop=evil"}});
    REQUIRE(forged);
    const std::string replaced = forged->get_header_value("X-Request-Id");
    CHECK(replaced.rfind("r-", 0) == 0);
    CHECK(log_has(daemon, "request=" + replaced));
    CHECK(daemon.log().find("shop=evil") == std::string::npos);
}

TEST_CASE("log lines outside a request carry no request id") {
    TempDir dir;
    DaemonProcess daemon(dir.str());
    const auto log = daemon.log();
    const auto listening = log.find("rewardd: listening on");
    REQUIRE(listening != std::string::npos);
    const auto line_end = log.find('\n', listening);
    CHECK(log.substr(listening, line_end - listening).find("request=") == std::string::npos);
}
