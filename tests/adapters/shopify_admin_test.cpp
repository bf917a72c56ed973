// The Shopify Admin API pieces without a network: token renewal before expiry and after a 401,
// throttle pacing arithmetic, the reward mutations compared with the fixtures, and the REST order
// list's pages, call limit and refusals.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <thread>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "adapters/shopify/admin_api.hpp"
#include "adapters/shopify/order_listing.hpp"
#include "adapters/shopify/reward_requests.hpp"

using namespace rewardd;
using namespace rewardd::shopify;
using nlohmann::json;

namespace {

json fixture(const std::string& name) {
    std::ifstream in(std::string(REWARDD_FIXTURES_DIR) + "/shopify/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

// Answers queued responses in order and remembers the requests.
struct ScriptedHttp final : HttpClient {
    std::deque<HttpResponse> answers;
    std::vector<HttpRequest> requests;
    HttpResponse send(const HttpRequest& request) override {
        requests.push_back(request);
        if (answers.empty()) return {TransportError::connect, "no answer scripted"};
        auto a = answers.front();
        answers.pop_front();
        return a;
    }
};

HttpResponse ok_json(const json& body) { return {TransportError::none, "", 200, {}, body.dump()}; }

Shop dev_dashboard_shop() {
    Shop shop;
    shop.id = "s1";
    shop.platform = "shopify";
    shop.settings = {{"domain", "jsmith.myshopify.com"}, {"client_id", "id"}, {"client_secret", "secret"}};
    return shop;
}

}  // namespace

TEST_CASE("a client credentials token is reused, then renewed shortly before it expires") {
    ScriptedHttp http;
    std::int64_t now_ms = 1'000'000;
    AccessTokens tokens(http, {}, [&] { return now_ms; });
    http.answers.push_back(ok_json({{"access_token", "tok-1"}, {"scope", "write_discounts"}, {"expires_in", 86399}}));
    http.answers.push_back(ok_json({{"access_token", "tok-2"}, {"scope", "write_discounts"}, {"expires_in", 86399}}));
    AccessToken t;
    REQUIRE(tokens.get(dev_dashboard_shop(), t).ok());
    CHECK(t.value == "tok-1");
    CHECK(http.requests[0].url == "https://jsmith.myshopify.com/admin/oauth/access_token");
    CHECK(http.requests[0].body == "grant_type=client_credentials&client_id=id&client_secret=secret");
    now_ms += (86399 - 301) * 1000LL;  // still more than 5 minutes left
    REQUIRE(tokens.get(dev_dashboard_shop(), t).ok());
    CHECK(t.value == "tok-1");
    now_ms += 2000;  // inside the last 5 minutes: renew
    REQUIRE(tokens.get(dev_dashboard_shop(), t).ok());
    CHECK(t.value == "tok-2");
    CHECK(http.requests.size() == 2);
}

// Senders that miss the cache at the same time (at start-up, or after a 401) share one fetch: a
// second token would make the first one's holder meet a 401 it need not have met.
TEST_CASE("threads missing the token cache together share one token request") {
    struct SlowTokenEndpoint final : HttpClient {
        std::atomic<int> requests{0};
        HttpResponse send(const HttpRequest&) override {
            const int n = ++requests;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the others arrive meanwhile
            return ok_json({{"access_token", "tok-" + std::to_string(n)}, {"expires_in", 86399}});
        }
    };
    SlowTokenEndpoint http;
    AccessTokens tokens(http, {}, [] { return std::int64_t{1'000'000}; });
    std::vector<std::string> seen(4);
    std::vector<std::thread> senders;
    for (std::size_t i = 0; i < seen.size(); ++i) {
        senders.emplace_back([&, i] {
            AccessToken t;
            if (tokens.get(dev_dashboard_shop(), t).ok()) seen[i] = t.value;
        });
    }
    for (auto& sender : senders) sender.join();
    CHECK(http.requests == 1);
    CHECK(seen == std::vector<std::string>(4, "tok-1"));
}

// Two senders refused with the same token: the first forgets it and fetches a new one; the
// second's late word about the old token must not throw the new one away.
TEST_CASE("a late 401 for a token already replaced leaves the newer token cached") {
    ScriptedHttp http;
    AccessTokens tokens(http, {}, [] { return std::int64_t{1'000'000}; });
    http.answers.push_back(ok_json({{"access_token", "tok-1"}, {"expires_in", 86399}}));
    http.answers.push_back(ok_json({{"access_token", "tok-2"}, {"expires_in", 86399}}));
    http.answers.push_back(ok_json({{"access_token", "tok-3"}, {"expires_in", 86399}}));
    AccessToken t;
    REQUIRE(tokens.get(dev_dashboard_shop(), t).ok());
    CHECK(t.value == "tok-1");
    tokens.invalidate(dev_dashboard_shop(), "tok-1");  // the first sender's 401
    REQUIRE(tokens.get(dev_dashboard_shop(), t).ok());
    CHECK(t.value == "tok-2");
    tokens.invalidate(dev_dashboard_shop(), "tok-1");  // the second sender's, about the same old token
    REQUIRE(tokens.get(dev_dashboard_shop(), t).ok());
    CHECK(t.value == "tok-2");
    CHECK(http.requests.size() == 2);
    tokens.invalidate(dev_dashboard_shop(), "tok-2");  // the current token refused: renewed
    REQUIRE(tokens.get(dev_dashboard_shop(), t).ok());
    CHECK(t.value == "tok-3");
}

TEST_CASE("a 401 from the Admin API renews the token once and repeats the call") {
    AdminApi api(std::make_unique<ScriptedHttp>(), {}, [] { return 0; }, [](std::int64_t) {});
    auto& scripted = static_cast<ScriptedHttp&>(*api.http);
    scripted.answers.push_back(ok_json({{"access_token", "old"}, {"expires_in", 86399}}));
    scripted.answers.push_back({TransportError::none, "", 401, {}, R"({"errors":"[API] Invalid API key"})"});
    scripted.answers.push_back(ok_json({{"access_token", "new"}, {"expires_in", 86399}}));
    scripted.answers.push_back(ok_json({{"data", {{"shop", {{"name", "x"}}}}}}));
    json data;
    const auto outcome = api.graphql.call(dev_dashboard_shop(), "query { shop { name } }", json::object(), data);
    CHECK(outcome.ok());
    CHECK(data["shop"]["name"] == "x");
    REQUIRE(scripted.requests.size() == 4);
    CHECK(scripted.requests[3].url == "https://jsmith.myshopify.com/admin/api/2026-07/graphql.json");
    CHECK(std::find(scripted.requests[3].headers.begin(), scripted.requests[3].headers.end(),
                    std::pair<std::string, std::string>{"X-Shopify-Access-Token", "new"}) !=
          scripted.requests[3].headers.end());
}

TEST_CASE("the throttle waits exactly until the bucket holds the call's cost") {
    ThrottleState s;
    REQUIRE(read_throttle_status(fixture("graphql-throttled.json"), 10'000, s));
    CHECK(s.maximum == 1000);
    CHECK(s.available == 666);
    CHECK(s.restore_per_s == 50);
    CHECK(throttle_wait_ms(s, 752, 10'000) == 1720);  // 86 points at 50/s
    CHECK(throttle_wait_ms(s, 752, 11'720) == 0);
    CHECK(throttle_wait_ms(s, 10, 10'000) == 0);
    CHECK(throttle_wait_ms(ThrottleState{}, 10, 0) == 0);  // nothing known yet: no wait
}

TEST_CASE("a THROTTLED answer is retried after the refill, without a second blind request") {
    std::int64_t now_ms = 0;
    std::vector<std::int64_t> slept;
    AdminApi api(std::make_unique<ScriptedHttp>(), {}, [&] { return now_ms; },
                 [&](std::int64_t ms) { slept.push_back(ms); now_ms += ms; });
    auto& scripted = static_cast<ScriptedHttp&>(*api.http);
    Shop shop = dev_dashboard_shop();
    shop.settings = {{"domain", "jsmith.myshopify.com"}, {"token", "shpat_x"}};
    scripted.answers.push_back(ok_json(fixture("graphql-throttled.json")));
    scripted.answers.push_back(ok_json(fixture("graphql-discount-code-basic-create.response.SYNTHETIC.json")));
    json data;
    CHECK(api.graphql.call(shop, "mutation {}", json::object(), data, 10).ok());
    CHECK(slept == std::vector<std::int64_t>{1720});
    CHECK(scripted.requests.size() == 2);
}

TEST_CASE("the discount code mutation matches the fixture's request") {
    const json expected = fixture("graphql-discount-code-basic-create.request.SYNTHETIC.json");
    RewardGrant g;
    g.grant_id = "g-000123";
    g.code = "RWD-7K2M-9X4P";
    g.amount_minor = 1000;
    g.currency = "USD";
    g.customer_platform_id = "207119551";
    g.description = "redemption";
    g.expires_at = *parse_timestamp("2027-02-20T23:59:59Z");
    auto doc = discount_code_create(g, *parse_timestamp("2026-11-22T10:00:00Z"), "2026-07");
    REQUIRE(doc);
    CHECK(doc->query == expected["query"]);
    CHECK(doc->variables == expected["variables"]);
    auto older = discount_code_create(g, 0, "2025-07");
    CHECK(older->variables["basicCodeDiscount"].contains("customerSelection"));
    CHECK_FALSE(older->variables["basicCodeDiscount"].contains("context"));
}

TEST_CASE("discount answers: created, taken, and our own code found by its title") {
    const auto created = read_discount_create(fixture("graphql-discount-code-basic-create.response.SYNTHETIC.json")["data"]);
    CHECK(created.node_id == "gid://shopify/DiscountCodeNode/1057371234");
    const auto taken = read_discount_create(fixture("graphql-discount-code-basic-create.taken.SYNTHETIC.json")["data"]);
    CHECK(taken.code_taken);
    CHECK(taken.node_id.empty());
    CHECK(title_names_grant("rewardd redemption g-000123", "g-000123"));
    CHECK_FALSE(title_names_grant("rewardd redemption g-0001234", "g-000123"));
}

TEST_CASE("store credit is sent in the shop currency and found again by its fingerprint") {
    RewardGrant g;
    g.grant_id = "cb-1";
    g.shop_id = "s1";
    g.kind = RewardKind::store_credit;
    g.amount_minor = 1250;
    g.currency = "USD";
    g.customer_platform_id = "207119551";
    auto doc = store_credit_create(g);
    REQUIRE(doc);
    const json expected = fixture("graphql-store-credit-account-credit.request.SYNTHETIC.json");
    CHECK(doc->query == expected["query"]);
    CHECK(doc->variables["id"] == "gid://shopify/Customer/207119551");
    CHECK(doc->variables["creditInput"]["creditAmount"] == expected["variables"]["creditInput"]["creditAmount"]);
    const std::string expires = doc->variables["creditInput"]["expiresAt"];
    const json found = {{"customer", {{"storeCreditAccounts", {{"nodes", json::array({{{"id", "a"},
        {"transactions", {{"nodes", json::array({{{"id", "tx-9"}, {"amount", {{"amount", "12.5"}, {"currencyCode", "USD"}}},
                                                  {"expiresAt", expires}}})}}}}})}}}}}};
    CHECK(find_store_credit(found, g) == std::optional<std::string>("tx-9"));
    g.grant_id = "cb-2";  // another grant of the same amount is not mistaken for this one
    CHECK_FALSE(find_store_credit(found, g));
    CHECK(read_store_credit_create(fixture("graphql-store-credit-account-credit.response.SYNTHETIC.json")["data"])
              .transaction_id == "gid://shopify/StoreCreditAccountCreditTransaction/3482019");
}

TEST_CASE("one customer's many cashback credits of one amount carry distinct fingerprints") {
    // A lookup takes the first credit with the grant's amount and fingerprint: two grants sharing
    // one would mark the second delivered on the first one's credit, and it would never be paid.
    // Within one hour of seconds 300 grants would share some (birthdays); within a year, none.
    RewardGrant g;
    g.shop_id = "s1";
    g.kind = RewardKind::store_credit;
    std::set<Timestamp> seen;
    std::mt19937_64 order_ids(7);  // Shopify order ids: large, scattered
    for (int i = 1; i <= 300; ++i) {
        g.grant_id = "s1:order:" + std::to_string(order_ids() % 10000000000ULL) + ":cashback:due";
        const Timestamp fingerprint = store_credit_fingerprint_expiry(g);
        CHECK(format_timestamp(fingerprint).rfind("2099-", 0) == 0);
        CHECK(seen.insert(fingerprint).second);
    }
    g.expires_at = *parse_timestamp("2027-03-01T10:00:00Z");  // with an expiry: within its hour
    const Timestamp fingerprint = store_credit_fingerprint_expiry(g);
    CHECK(fingerprint >= *g.expires_at);
    CHECK(fingerprint < *g.expires_at + 3600);
}

TEST_CASE("a reserved share of the bucket makes the next caller wait for its own") {
    ThrottleState s{100, 10, 50, 0, true};
    CHECK(throttle_wait_ms(s, 10, 0) == 0);
    reserve(s, 10, 0, 0);
    CHECK(throttle_wait_ms(s, 10, 0) == 200);  // 10 points at 50/s
    reserve(s, 10, 0, 200);
    CHECK(throttle_wait_ms(s, 10, 0) == 400);
}

TEST_CASE("the order list asks for every status since a moment and follows only the next page") {
    CHECK(orders_updated_since_url(dev_dashboard_shop(), "2026-07", 1'765'000'000) ==
          "https://jsmith.myshopify.com/admin/api/2026-07/orders.json?status=any&limit=50"
          "&updated_at_min=2025-12-06T05%3A46%3A40Z");
    const std::string prev = "https://jsmith.myshopify.com/admin/api/2026-07/orders.json?limit=250&page_info=abc";
    const std::string next = "https://jsmith.myshopify.com/admin/api/2026-07/orders.json?limit=250&page_info=def";
    CHECK(next_page_url("<" + next + ">; rel=\"next\"") == next);
    CHECK(next_page_url("<" + prev + ">; rel=\"previous\", <" + next + ">; rel=\"next\"") == next);
    CHECK(next_page_url("<" + prev + ">; rel=\"previous\"").empty());
    CHECK(next_page_url("").empty());
    CHECK(next_page_url("<" + next).empty());
    const auto limit = parse_call_limit("39/40");
    REQUIRE(limit);
    CHECK(limit->used == 39);
    CHECK(limit->bucket == 40);
    CHECK_FALSE(parse_call_limit("39"));
    CHECK_FALSE(parse_call_limit("x/40"));
    CHECK_FALSE(parse_call_limit("1/0"));
}

TEST_CASE("the order lister renews a refused token once, waits out a full bucket and hands back 429s") {
    ScriptedHttp http;
    std::vector<std::int64_t> slept;
    AccessTokens tokens(http, {}, [] { return std::int64_t{1'000'000}; });
    OrderLister lister(http, tokens, {}, [&](std::int64_t ms) { slept.push_back(ms); });
    const auto shop = dev_dashboard_shop();
    const std::string url = orders_updated_since_url(shop, "2026-07", 1'765'000'000);
    HttpResponse full_page = ok_json({{"orders", json::array({{{"id", 1}}, {{"id", 2}, {"subtotal", 195.66}}})}});
    full_page.headers = {{"x-shopify-shop-api-call-limit", "39/40"}, {"link", "<https://n/2>; rel=\"next\""}};
    http.answers.push_back(ok_json({{"access_token", "tok-1"}, {"expires_in", 86399}}));
    http.answers.push_back({TransportError::none, "", 401, {}, R"({"errors":"[API] Invalid API key"})"});
    http.answers.push_back(ok_json({{"access_token", "tok-2"}, {"expires_in", 86399}}));
    http.answers.push_back(full_page);
    OrderPage page;
    REQUIRE(lister.page(shop, url, page).ok());
    CHECK(page.orders.size() == 2);
    CHECK(page.orders[1]["subtotal"] == "195.66");  // money keeps its literal text, never a double
    CHECK(page.next_url == "https://n/2");
    REQUIRE(http.requests.size() == 4);
    CHECK(http.requests[3].method == "GET");
    CHECK(http.requests[3].url == url);
    CHECK(slept.empty());

    // The bucket said 39 of 40: the next request waits for it to leak first, then meets a 429.
    http.answers.push_back({TransportError::none, "", 429, {{"retry-after", "2.0"}}, R"({"errors":"Exceeded"})"});
    OrderPage refused;
    const auto outcome = lister.page(shop, "https://n/2", refused);
    CHECK(slept == std::vector<std::int64_t>{1000});
    CHECK(outcome.status == CallStatus::retry);
    CHECK(outcome.retry_after_ms == 2000);
    CHECK(refused.orders.empty());

    http.answers.push_back({TransportError::none, "", 403, {}, R"({"errors":"Forbidden"})"});
    CHECK(lister.page(shop, "https://n/2", refused).status == CallStatus::failed);
    http.answers.push_back(ok_json({{"no_orders", 1}}));
    CHECK(lister.page(shop, "https://n/2", refused).status == CallStatus::failed);
}
