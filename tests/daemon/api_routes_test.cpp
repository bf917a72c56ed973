// End to end: the /api/v1 routes of docs/API.md against the real binary and real values —
// status, shop registration and removal (seen by event intake at once), the customer view with
// its worth, quotes from the engine's earning plan, and referral codes.
#include <regex>

#include "daemon/api_support.hpp"

using namespace rewardd::test;
using nlohmann::json;

namespace {

struct ApiFixture {
    TempDir dir;
    std::string admin;
    std::unique_ptr<DaemonProcess> daemon;

    ApiFixture() {
        add_custom_shop(dir.str(), "demo");
        admin = create_token(dir.str(), "admin");
        daemon = std::make_unique<DaemonProcess>(dir.str());
    }
    httplib::Result get(const std::string& path) const { return daemon->client().Get(path, bearer(admin)); }
    httplib::Result post(const std::string& path, const json& body) const {
        return daemon->client().Post(path, bearer(admin), body.dump(), "application/json");
    }
    // Posts an order of `total` NOK for kari@example.com and waits until its points show.
    json kari_after_order(std::int64_t total) const {
        REQUIRE(post_signed_event(*daemon, "demo", k_api_secret, paid_event("evt-1", "1001", total))->status == 200);
        return poll_until([this] { return body_of(get("/api/v1/customers/kari%40example.com")); },
                          [](const json& j) { return j.value("pending", 0) > 0; });
    }
};

json woo_shop(const std::string& id, const std::string& url) {
    return {{"id", id}, {"platform", "woocommerce"}, {"secret", "s3cretS3cretS3cretS3cret"}, {"url", url},
            {"consumer_key", "ck_123"}, {"consumer_secret", "cs_456"}};
}

json listed_shops(const std::string& data) {
    const auto r = run_rewardd({"shop", "list", "--json", "--data", data});
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

}  // namespace

TEST_CASE("status reports version, shops, outbox backlog and each shop's last event time") {
    ApiFixture f;
    add_custom_shop(f.dir.str(), "quiet");
    REQUIRE(post_signed_event(*f.daemon, "demo", k_api_secret, paid_event("evt-1", "1001", 10000))->status == 200);
    const auto status = body_of(f.get("/api/v1/status"));
    CHECK(status["ok"] == true);
    CHECK(status["version"] == "0.1.0");
    CHECK(status["shops"] == 2);
    CHECK(status["outbox_backlog"] == 0);
    CHECK(status["last_webhook_at"]["quiet"].is_null());
    REQUIRE(status["last_webhook_at"]["demo"].is_string());
    CHECK(std::regex_match(status["last_webhook_at"]["demo"].get<std::string>(),
                           std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
}

TEST_CASE("a shop registered over the API receives events at once and is gone at once when removed") {
    ApiFixture f;
    auto created = f.post("/api/v1/shops", woo_shop("wp1", "https://shop.example"));
    REQUIRE(created);
    CHECK(created->status == 201);
    const auto answer = body_of(created);
    CHECK(answer["shop"] == json{{"id", "wp1"}, {"platform", "woocommerce"}, {"url", "https://shop.example"}});
    CHECK(answer["webhook_url"] == "/webhooks/woocommerce/wp1");
    CHECK(created->body.find("s3cret") == std::string::npos);

    const std::string secret = "s3cretS3cretS3cretS3cret";
    auto accepted = post_signed_event(*f.daemon, "wp1", secret, paid_event("evt-9", "9", 1000));
    REQUIRE(accepted);
    CHECK(accepted->status == 200);

    auto replaced = f.post("/api/v1/shops", woo_shop("wp1", "https://new.example"));
    REQUIRE(replaced);
    CHECK(replaced->status == 200);
    const auto shops = listed_shops(f.dir.str());
    REQUIRE(shops.size() == 2);
    CHECK(shops[1]["id"] == "wp1");
    CHECK(shops[1]["platform"] == "woocommerce");
    CHECK(shops[1]["settings"]["url"] == "https://new.example");

    auto removed = f.daemon->client().Delete("/api/v1/shops/wp1", bearer(f.admin));
    REQUIRE(removed);
    CHECK(removed->status == 200);
    CHECK(body_of(removed) == json{{"removed", "wp1"}});
    auto refused = post_signed_event(*f.daemon, "wp1", secret, paid_event("evt-10", "10", 1000));
    REQUIRE(refused);
    CHECK(refused->status == 401);
    CHECK(listed_shops(f.dir.str()).size() == 1);

    auto again = f.daemon->client().Delete("/api/v1/shops/wp1", bearer(f.admin));
    REQUIRE(again);
    CHECK(again->status == 404);
    CHECK(body_of(again)["error"] == "unknown_shop");
}

TEST_CASE("a bad shop registration is answered 400 naming the field, and nothing is saved") {
    ApiFixture f;
    auto no_key = woo_shop("wp1", "https://shop.example");
    no_key.erase("consumer_key");
    const std::vector<std::pair<json, std::pair<std::string, std::string>>> cases{
        {no_key, {"missing_field", "consumer_key"}},
        {woo_shop("bad id!", "https://shop.example"), {"invalid_field", "id"}},
        {woo_shop("wp1", "ftp://shop.example"), {"invalid_field", "url"}},
        {json{{"id", "wp1"}, {"platform", "magento"}, {"secret", "0123456789"}}, {"invalid_field", "platform"}},
        {json{{"id", "wp1"}, {"platform", "custom"}, {"secret", "short"}}, {"invalid_field", "secret"}},
    };
    for (const auto& [body, expected] : cases) {
        CAPTURE(body.dump());
        auto res = f.post("/api/v1/shops", body);
        REQUIRE(res);
        CHECK(res->status == 400);
        CHECK(body_of(res)["error"] == expected.first);
        CHECK(body_of(res)["field"] == expected.second);
    }
    auto garbage = f.daemon->client().Post("/api/v1/shops", bearer(f.admin), "{not json", "application/json");
    REQUIRE(garbage);
    CHECK(garbage->status == 400);
    CHECK(body_of(garbage)["error"] == "malformed_json");
    CHECK(listed_shops(f.dir.str()).size() == 1);
}

TEST_CASE("a customer is answered with balance, history, tier and what the points are worth") {
    ApiFixture f;
    const auto after_order = f.kari_after_order(39800);
    CHECK(after_order["pending"] == 398);
    CHECK(after_order["available"] == 0);
    CHECK(after_order["points_value_minor"] == 0);
    CHECK(after_order["currency"] == "NOK");
    REQUIRE(run_rewardd({"adjust", "kari@example.com", "--points", "1234", "--reason", "welcome", "--data",
                         f.dir.str()}).exit_code == 0);

    const auto c = body_of(f.get("/api/v1/customers/%20Kari%40Example.COM"));
    CHECK(c["customer"]["email"] == "kari@example.com");
    CHECK(c["available"] == 1234);
    CHECK(c["pending"] == 398);
    CHECK(c["lifetime_earned"] == 1632);
    CHECK(c["tier"] == "none");
    CHECK(c["next_tier"].is_null());
    CHECK(c["history"].size() == 2);
    CHECK(c["history"][0]["kind"] == "adjust");
    CHECK(c["points_value_minor"] == 1234);  // 100 points = 1.00 NOK: 12.34 NOK
    CHECK(c["currency"] == "NOK");

    const auto in_yen = body_of(f.get("/api/v1/customers/kari%40example.com?currency=jpy&history=0"));
    CHECK(in_yen["currency"] == "JPY");
    CHECK(in_yen["points_value_minor"] == 12);  // JPY has no decimals: 12 yen
    CHECK(in_yen["history"].empty());
}

TEST_CASE("an unknown customer is 404 not_found and a bad address or query is 400") {
    ApiFixture f;
    const std::vector<std::tuple<std::string, int, std::string>> cases{
        {"/api/v1/customers/nobody%40example.com", 404, "not_found"},
        {"/api/v1/customers/not-an-email", 400, "invalid_field"},
        {"/api/v1/customers/nobody%40example.com?history=many", 400, "invalid_field"},
        {"/api/v1/customers/nobody%40example.com?currency=XXX", 400, "unknown_currency"},
    };
    for (const auto& [path, status, error] : cases) {
        CAPTURE(path);
        auto res = f.get(path);
        REQUIRE(res);
        CHECK(res->status == status);
        CHECK(body_of(res)["error"] == error);
    }
}

TEST_CASE("a quote is what the cart would earn under the current rules, and stores nothing") {
    ApiFixture f;
    const json cart{{"shop", "demo"}, {"currency", "NOK"}, {"customer_email", "ola@example.com"},
                    {"lines", {{{"product_id", "p1"}, {"categories", {"shoes"}}, {"quantity", 2}, {"total", 39800}},
                               {{"product_id", 17}, {"quantity", 1}, {"total", 10050}}}},
                    {"discount", 5000}};
    const auto quote = body_of(f.post("/api/v1/quote", cart));
    CHECK(quote["points"] == 448);  // 1 point per 1.00 of 498.50 - 50.00 discount, rounded down
    CHECK(quote["cashback_minor"] == 0);
    CHECK(quote["currency"] == "NOK");
    CHECK(quote["rule_version"] == 1);

    auto yen = cart;
    yen["currency"] = "JPY";
    yen["discount"] = 0;
    CHECK(body_of(f.post("/api/v1/quote", yen))["points"] == 49850);

    auto none = f.get("/api/v1/customers/ola%40example.com");
    REQUIRE(none);
    CHECK(none->status == 404);
}

TEST_CASE("a bad quote is answered with the field at fault") {
    ApiFixture f;
    const json good{{"shop", "demo"}, {"currency", "NOK"}, {"lines", {{{"product_id", "p1"}, {"total", 100}}}}};
    const std::vector<std::tuple<std::string, json, int, std::string, std::string>> cases{
        {"shop", "nowhere", 404, "unknown_shop", ""},
        {"currency", "ABC", 400, "unknown_currency", "currency"},
        {"lines", nullptr, 400, "missing_field", "lines"},
        {"lines", json::array({{{"total", -5}}}), 400, "invalid_field", "lines[0].total"},
        {"lines", json::array({{{"total", 5}, {"categories", "shoes"}}}), 400, "invalid_field", "lines[0].categories"},
        {"discount", "5", 400, "invalid_field", "discount"},
    };
    for (const auto& [key, value, status, error, field] : cases) {
        auto body = good;
        body[key] = value;
        CAPTURE(body.dump());
        auto res = f.post("/api/v1/quote", body);
        REQUIRE(res);
        CHECK(res->status == status);
        CHECK(body_of(res)["error"] == error);
        if (!field.empty()) CHECK(body_of(res)["field"] == field);
    }
}

TEST_CASE("a referral code is stable per shop and customer and differs between them") {
    ApiFixture f;
    add_custom_shop(f.dir.str(), "other");
    auto code = [&f](const std::string& who, const std::string& shop) {
        return body_of(f.get("/api/v1/customers/" + who + "/referral?shop=" + shop))["code"].get<std::string>();
    };
    const std::string kari = code("kari%40example.com", "demo");
    CHECK(std::regex_match(kari, std::regex("R[0-9A-HJKMNP-TV-Z]{10}")));
    CHECK(code("kari%40example.com", "demo") == kari);
    CHECK(code("%20KARI%40example.com", "demo") == kari);
    CHECK(code("ola%40example.com", "demo") != kari);
    CHECK(code("kari%40example.com", "other") != kari);

    auto no_shop = f.get("/api/v1/customers/kari%40example.com/referral");
    REQUIRE(no_shop);
    CHECK(no_shop->status == 400);
    CHECK(body_of(no_shop)["field"] == "shop");
    auto unknown = f.get("/api/v1/customers/kari%40example.com/referral?shop=nowhere");
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
    CHECK(body_of(unknown)["error"] == "unknown_shop");
}
