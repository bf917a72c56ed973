// The WooCommerce REST side, without a network: OAuth 1.0a signing against an independently
// computed vector, the auth each scheme gets, the coupon body, and how answers are classified.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "adapters/woocommerce/coupon_json.hpp"
#include "net/oauth1.hpp"
#include "outbox/retry_policy.hpp"
#include "outbox/woocommerce_coupon_deliverer.hpp"
#include "rewards/grant_code.hpp"
#include "support/daemon_process.hpp"

using namespace rewardd;
using nlohmann::json;

namespace {

// Records what would be sent and answers from a script.
class ScriptedHttp final : public HttpClient {
public:
    std::vector<HttpRequest> sent;
    std::vector<HttpResponse> answers;
    HttpResponse send(const HttpRequest& request) override {
        sent.push_back(request);
        HttpResponse r = answers.empty() ? HttpResponse{} : answers.front();
        if (!answers.empty()) answers.erase(answers.begin());
        return r;
    }
};

HttpResponse answer(int status, std::string body, std::map<std::string, std::string> headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

Shop shop_at(const std::string& url) {
    return Shop{"wc1", "woocommerce", "secret-secret", {{"url", url}, {"consumer_key", "ck_test"}, {"consumer_secret", "cs_secret"}}, 0};
}

RewardGrant grant() {
    RewardGrant g;
    g.grant_id = "redeem-42";
    g.shop_id = "wc1";
    g.code = grant_coupon_code("RWD", g.grant_id);
    g.amount_minor = 1250;
    g.currency = "EUR";
    g.customer_email = "kari@example.com";
    g.expires_at = *parse_timestamp("2027-02-20T23:59:59Z");
    g.description = "rewardd: 1250 points redeemed";
    return g;
}

}  // namespace

TEST_CASE("OAuth 1.0a signing matches WooCommerce's base string (vector computed independently)") {
    const QueryParams params{{"code", "cb-1a2b"}, {"oauth_consumer_key", "ck_test"}, {"oauth_nonce", "abc123"},
                             {"oauth_signature_method", "HMAC-SHA1"}, {"oauth_timestamp", "1700000000"}};
    CHECK(oauth1_signature("GET", "http://shop.example:8081/wp-json/wc/v3/coupons", params, "cs_secret") ==
          "WeP1/aGT+AgvWRgakYHijpuSr2E=");
    const auto signed_query = oauth1_signed_query("GET", "http://shop.example:8081/wp-json/wc/v3/coupons",
                                                  {{"code", "cb-1a2b"}}, "ck_test", "cs_secret", 1700000000, "abc123");
    CHECK(signed_query.back() == std::make_pair(std::string("oauth_signature"), std::string("WeP1/aGT+AgvWRgakYHijpuSr2E=")));
    CHECK(encode_query({{"a b", "x/y+z"}}) == "a%20b=x%2Fy%2Bz");
}

TEST_CASE("https shops get Basic auth, plain http shops get OAuth query signing, every call has a timeout") {
    auto http = std::make_shared<ScriptedHttp>();
    WooCommerceRest rest(http, 2500, [] { return Timestamp{1700000000}; });
    const auto https = rest.build("POST", *woocommerce_site(shop_at("https://shop.example/")), "coupons", {});
    CHECK(https.url == "https://shop.example/wp-json/wc/v3/coupons");
    REQUIRE(https.basic_auth);
    CHECK(https.basic_auth->first == "ck_test");
    CHECK(https.timeout_ms == 2500);
    const auto plain = rest.build("GET", *woocommerce_site(shop_at("http://shop.example")), "coupons", {{"code", "x"}});
    CHECK_FALSE(plain.basic_auth);
    CHECK(plain.url.rfind("http://shop.example/wp-json/wc/v3/coupons?code=x&oauth_consumer_key=ck_test&", 0) == 0);
    CHECK(plain.url.find("oauth_signature=") != std::string::npos);
    CHECK_FALSE(woocommerce_site(Shop{"wc1", "woocommerce", "s", {{"url", "https://x"}}, 0}));
}

TEST_CASE("the coupon body: single use, the customer's e-mail only, fixed cart, expiry, grant id in meta") {
    const RewardGrant g = grant();
    const json body = json::parse(woocommerce::coupon_request_json(
        {g.grant_id, g.code, g.amount_minor, g.currency, g.customer_email, g.expires_at, g.description}));
    CHECK(body["code"] == g.code);
    CHECK(body["discount_type"] == "fixed_cart");
    CHECK(body["amount"] == "12.50");
    CHECK(body["usage_limit"] == 1);
    CHECK(body["usage_limit_per_user"] == 1);
    CHECK(body["email_restrictions"] == json::array({"kari@example.com"}));
    CHECK(body["date_expires_gmt"] == "2027-02-20T23:59:59");
    CHECK(body["meta_data"][0]["key"] == "rewardd_grant_id");
    CHECK(body["meta_data"][0]["value"] == "redeem-42");
    CHECK(g.code == grant_coupon_code("RWD", "redeem-42"));  // deterministic
    CHECK(g.code != grant_coupon_code("RWD", "redeem-43"));
    CHECK(g.code.size() == std::string("RWD-XXXX-XXXX-XXXX").size());
}

TEST_CASE("the deliverer: 201 delivered, duplicate of ours delivered, someone else's code parked") {
    auto http = std::make_shared<ScriptedHttp>();
    WooCommerceCouponDeliverer deliverer(WooCommerceRest(http, 1000, [] { return Timestamp{1700000000}; }));
    const Shop shop = shop_at("https://shop.example");
    const std::string created = test::read_file(std::string(REWARDD_FIXTURES_DIR) + "/woocommerce/wc-rest-coupon-create-response.json");
    const std::string duplicate = test::read_file(std::string(REWARDD_FIXTURES_DIR) + "/woocommerce/wc-rest-coupon-duplicate-error.json");
    http->answers = {answer(201, created)};
    auto ok = deliverer.deliver(shop, grant());
    CHECK(ok.status == DeliveryStatus::delivered);
    CHECK(ok.detail == "coupon 11");

    std::string stored_code = grant().code;  // WooCommerce keeps codes lower-cased
    std::transform(stored_code.begin(), stored_code.end(), stored_code.begin(), [](unsigned char c) { return std::tolower(c); });
    const json ours = json::array({{{"id", 77}, {"code", stored_code},
                                    {"meta_data", json::array({{{"key", "rewardd_grant_id"}, {"value", "redeem-42"}}})}}});
    http->answers = {answer(400, duplicate), answer(200, ours.dump())};
    auto again = deliverer.deliver(shop, grant());
    CHECK(again.status == DeliveryStatus::delivered);
    CHECK(again.detail == "coupon 77");
    CHECK(http->sent.back().url.find("code=" + grant().code) != std::string::npos);

    json theirs = ours;
    theirs[0]["meta_data"][0]["value"] = "someone-else";
    http->answers = {answer(400, duplicate), answer(200, theirs.dump())};
    CHECK(deliverer.deliver(shop, grant()).status == DeliveryStatus::permanent);
}

TEST_CASE("failures: 429 and 5xx and timeouts retry (Retry-After kept), 401 and 400 are permanent") {
    const auto limited = classify_failure(answer(429, "{}", {{"retry-after", "7"}}), "create coupon");
    CHECK(limited.status == DeliveryStatus::retry);
    CHECK(limited.retry_after_ms == std::optional<std::int64_t>(7000));
    CHECK(classify_failure(answer(503, ""), "x").status == DeliveryStatus::retry);
    HttpResponse timeout;
    timeout.error = TransportError::timeout;
    CHECK(classify_failure(timeout, "x").status == DeliveryStatus::retry);
    const auto denied = classify_failure(
        answer(401, R"({"code":"woocommerce_rest_authentication_error","message":"Consumer key is invalid.","data":{"status":401}})"),
        "create coupon");
    CHECK(denied.status == DeliveryStatus::permanent);
    CHECK(denied.detail == "create coupon: HTTP 401 woocommerce_rest_authentication_error: Consumer key is invalid.");
    CHECK(classify_failure(answer(400, "{}"), "x").status == DeliveryStatus::permanent);
}

TEST_CASE("backoff doubles per attempt within its jitter band, is capped, and a longer Retry-After wins") {
    const RetryPolicy p{1000, 8000, 5};
    for (std::uint64_t r : {0ULL, 1ULL, 999ULL, 123456789ULL}) {
        const auto first = retry_delay_ms(p, 1, r, std::nullopt);
        CHECK(first >= 500);
        CHECK(first <= 1000);
        const auto third = retry_delay_ms(p, 3, r, std::nullopt);
        CHECK(third >= 2000);
        CHECK(third <= 4000);
        const auto capped = retry_delay_ms(p, 30, r, std::nullopt);
        CHECK(capped >= 4000);
        CHECK(capped <= 8000);
    }
    CHECK(retry_delay_ms(p, 1, 0, 60000) == 60000);
    CHECK(retry_delay_ms(p, 4, 0, 10) >= 4000);
}
