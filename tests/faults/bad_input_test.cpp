// A corpus of malformed deliveries (truncated JSON, wrong types, huge numbers, negative amounts,
// unknown currencies, a 10 MB body, deep nesting, invalid UTF-8, missing headers), each answered
// 4xx with a JSON error, and the database left exactly as it was.
#include "faults/fault_support.hpp"

using namespace rewardd::test;
using namespace rewardd::test::shopify;

namespace {

struct BadCase {
    std::string name;
    std::string body;
    httplib::Headers headers;
};

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

std::string deep_nesting(int depth) {
    return "{\"id\": 1, \"note_attributes\": " + std::string(depth, '[') + std::string(depth, ']') + "}";
}

httplib::Headers shopify_headers(const std::string& body, const std::string& drop = "") {
    httplib::Headers h;
    const std::vector<std::pair<std::string, std::string>> all{
        {"X-Shopify-Shop-Domain", k_domain}, {"X-Shopify-Topic", "orders/paid"},
        {"X-Shopify-Hmac-Sha256", sign(k_secret, body)}, {"X-Shopify-Webhook-Id", "bad-" + std::to_string(body.size())}};
    for (const auto& [k, v] : all) {
        if (k != drop) h.emplace(k, v);
    }
    return h;
}

std::vector<BadCase> shopify_corpus() {
    const std::string paid = fixture("orders-paid.json");
    std::vector<std::pair<std::string, std::string>> bodies{
        {"truncated JSON", paid.substr(0, paid.size() / 2)},
        {"empty body", ""},
        {"not JSON", "order paid, trust me"},
        {"an array, not an object", "[1, 2, 3]"},
        {"line_items of the wrong type", replaced(paid, "\"line_items\":[", "\"line_items\":\"none\",\"x\":[")},
        {"a quantity of the wrong type", replaced(paid, "\"quantity\":1", "\"quantity\":\"one\"")},
        {"a huge price", replaced(paid, "199.00", "99999999999999999999999999999.00")},
        {"a price in exponent form", replaced(paid, "\"199.00\"", "\"1e400\"")},
        {"a huge quantity", replaced(paid, "\"quantity\":1", "\"quantity\":1e30")},
        {"negative prices", replaced(paid, "\"199.00\"", "\"-199.00\"")},
        {"an unknown currency", replaced(paid, "\"USD\"", "\"XXX\"")},
        {"deep nesting", deep_nesting(100000)},
        {"invalid UTF-8", replaced(paid, "\"Bob\"", "\"B\xff\xfe\xc3\x28\"")},
    };
    std::vector<BadCase> out;
    for (auto& [name, body] : bodies) out.push_back({name, body, shopify_headers(body)});
    out.push_back({"a 10 MB body", "{\"pad\":\"" + std::string(10 << 20, 'a') + "\"}", {}});
    out.back().headers = shopify_headers(out.back().body);
    for (const char* header : {"X-Shopify-Hmac-Sha256", "X-Shopify-Shop-Domain", "X-Shopify-Webhook-Id",
                               "X-Shopify-Topic"}) {
        out.push_back({std::string("missing ") + header, paid, shopify_headers(paid, header)});
    }
    return out;
}

}  // namespace

TEST_CASE("malformed Shopify deliveries are answered 4xx with a JSON error and change nothing") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    const auto history = shopify_history(recorded_fixtures(), 4);
    auto cli = keep_alive_client(daemon.port());
    for (const auto& d : history) REQUIRE(post_delivery(cli, d)->status == 200);
    wait_all_applied(dir.str());
    const std::string counts = table_counts(dir.str());

    for (const auto& bad : shopify_corpus()) {
        CAPTURE(bad.name);
        auto fresh = keep_alive_client(daemon.port());
        auto res = fresh.Post("/webhooks/shopify", bad.headers, bad.body, "application/json");
        REQUIRE(res);
        CHECK(res->status >= 400);
        CHECK(res->status < 500);
        const auto body = json::parse(res->body, nullptr, false);
        CHECK(body.is_object());
        CHECK(body.contains("error"));
    }
    CHECK(table_counts(dir.str()) == counts);
    auto alive = daemon.client().Get("/healthz");
    CHECK((alive && alive->status == 200));
}

namespace {

const std::string k_neutral_secret = "neutral-secret-0123456789";

std::string neutral_paid(const std::string& total, const std::string& currency = "\"NOK\"",
                         const std::string& email = "kari@example.com") {
    return "{\"id\":\"e1\",\"type\":\"order.paid\",\"occurred_at\":\"2026-11-22T10:00:00Z\",\"order\":{"
           "\"id\":\"o1\",\"currency\":" + currency + ",\"customer\":{\"id\":\"77\",\"email\":\"" + email + "\"},"
           "\"lines\":[{\"id\":\"l1\",\"product_id\":\"p1\",\"quantity\":1,\"total\":" + total + "}],"
           "\"discount\":0,\"tax\":0,\"shipping\":0,\"total\":" + total + "}}";
}

std::vector<BadCase> neutral_corpus() {
    const std::string good = neutral_paid("10000");
    std::vector<std::pair<std::string, std::string>> bodies{
        {"truncated JSON", good.substr(0, good.size() / 2)},
        {"empty body", ""},
        {"a total of the wrong type", neutral_paid("\"lots\"")},
        {"a fractional total", neutral_paid("100.5")},
        {"a huge total", neutral_paid("99999999999999999999999999")},
        {"a total in exponent form", neutral_paid("1e30")},
        {"a negative total", neutral_paid("-10000")},
        {"an unknown currency", neutral_paid("10000", "\"XXX\"")},
        {"a currency of the wrong type", neutral_paid("10000", "42")},
        {"deep nesting", deep_nesting(100000)},
        {"invalid UTF-8", neutral_paid("10000", "\"NOK\"", "k\xff\xfe@example.com")},
        {"a 10 MB body", "{\"pad\":\"" + std::string(10 << 20, 'a') + "\"}"},
    };
    std::vector<BadCase> out;
    for (auto& [name, body] : bodies) {
        out.push_back({name, body, {{"X-Rewardd-Shop", "demo"}, {"X-Rewardd-Signature", sign(k_neutral_secret, body)}}});
    }
    out.push_back({"missing signature", good, {{"X-Rewardd-Shop", "demo"}}});
    out.push_back({"missing shop", good, {{"X-Rewardd-Signature", sign(k_neutral_secret, good)}}});
    return out;
}

}  // namespace

TEST_CASE("malformed neutral events are answered 4xx with a JSON error and change nothing") {
    TempDir dir;
    const auto added = run_rewardd({"shop", "add", "demo", "--platform", "custom", "--secret", k_neutral_secret,
                                    "--data", dir.str()});
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    DaemonProcess daemon(dir.str());
    const std::string counts = table_counts(dir.str());
    for (const auto& bad : neutral_corpus()) {
        CAPTURE(bad.name);
        auto cli = keep_alive_client(daemon.port());
        auto res = cli.Post("/api/v1/events", bad.headers, bad.body, "application/json");
        REQUIRE(res);
        CHECK(res->status >= 400);
        CHECK(res->status < 500);
        const auto body = json::parse(res->body, nullptr, false);
        CHECK(body.is_object());
        CHECK(body.contains("error"));
    }
    CHECK(table_counts(dir.str()) == counts);
    // The well-formed event still goes in: the corpus differs from it only where it is broken.
    auto cli = keep_alive_client(daemon.port());
    const std::string good = neutral_paid("10000");
    auto res = cli.Post("/api/v1/events", {{"X-Rewardd-Shop", "demo"}, {"X-Rewardd-Signature", sign(k_neutral_secret, good)}},
                        good, "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
}
