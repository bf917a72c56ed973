// End to end, POST /api/v1/redeem as the WordPress plugin calls it: the real binary, points earned
// through the real WooCommerce webhook captures, a storefront token, and the fake WooCommerce shop
// (tests/fakes, INTEGRATION.md W3) receiving the coupon. Exactly one coupon arrives, whose code is
// the one the route answered, however often or concurrently the same redemption id is sent; every
// refusal is a JSON error that changes nothing.
#include "daemon/api_support.hpp"
#include "daemon/woocommerce_support.hpp"
#include "woocommerce/capture.hpp"

#include <algorithm>
#include <cctype>
#include <future>

#include "core/timestamp.hpp"

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::woocommerce;
using nlohmann::json;

namespace {

const std::string k_ada = "ada@example.test";

// Points available on completion; 10 points = 1.00; from 10 points; at most half a cart. A rules
// version of its own (`rules set`): the cart share is not a config key.
void set_rules(const TempDir& dir) {
    const std::string path = dir.str() + "/rules.toml";
    std::ofstream(path) << "pending_mode = \"on_completion\"\nredeem_points_per_unit = 10\nredeem_minimum_points = 10\n"
                           "redeem_cart_share_max = \"50\"\n";
    const auto r = run_rewardd({"rules", "set", path, "--effective-from", "2000-01-01T00:00:00Z", "--data", dir.str()});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

struct RedeemFixture {
    FakeWooCommerce fake{k_key, k_consumer_secret};
    TempDir dir;
    std::string token;
    std::unique_ptr<DaemonProcess> daemon;

    RedeemFixture() {
        add_woo_shop(dir.str(), fake.url());
        token = create_token(dir.str(), "storefront");
        set_rules(dir);
        daemon = std::make_unique<DaemonProcess>(dir.str(), std::vector<std::string>{"--config", fast_config(dir)});
        post_capture("003-order.created.http");
        post_capture("005-order.updated.http");  // completed: Ada's 50 points become available
        REQUIRE(eventually([&] { return available() == 50; }));
    }

    void post_capture(const std::string& name) const {
        const Capture c = read_capture(name);
        httplib::Headers h;
        for (const auto& [k, v] : c.headers) {
            if (k.rfind("X-WC-", 0) == 0) h.emplace(k, v);
        }
        auto res = daemon->client().Post("/webhooks/woocommerce/wc1", h, c.body, "application/json");
        REQUIRE(res);
        REQUIRE(res->status == 200);
    }

    httplib::Result redeem(const json& body) const {
        return daemon->client().Post("/api/v1/redeem", bearer(token), body.dump(), "application/json");
    }

    std::int64_t available() const {
        return query_int(dir.str(),
                         "SELECT COALESCE(SUM(available_delta), 0) FROM ledger WHERE customer = '" + k_ada + "'");
    }
    std::int64_t outbox_rows() const { return query_int(dir.str(), "SELECT COUNT(*) FROM outbox"); }
};

json ask(std::int64_t points, const std::string& id) {
    return {{"shop", "wc1"}, {"customer_email", "Ada@Example.test "}, {"points", points}, {"redemption_id", id}};
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

void check_error(const httplib::Result& res, int status, const std::string& id, const std::string& field) {
    REQUIRE(res);
    CHECK(res->status == status);
    const auto body = json::parse(res->body);
    CHECK(body["error"] == id);
    CHECK(body["message"].is_string());
    if (!field.empty()) CHECK(body["field"] == field);
}

}  // namespace

TEST_CASE("redeem answers the coupon code, and exactly that one coupon arrives in the shop once") {
    RedeemFixture f;
    f.fake.hold_create_answers(10000);  // keeps the first delivery in flight: "queued" is certain
    auto body = ask(30, "wp-7f3a");
    body["expires_in_days"] = 30;
    const auto first = f.redeem(body);
    REQUIRE(first);
    REQUIRE_MESSAGE(first->status == 201, first->body);
    const auto made = json::parse(first->body);
    const std::string code = made["code"];
    CHECK(code.rfind("RWD-", 0) == 0);
    CHECK(made["status"] == "queued");
    CHECK(made["points"] == 30);
    CHECK(made["amount_minor"] == 300);
    CHECK(made["currency"] == "USD");
    CHECK(made["available_after"] == 20);
    CHECK(made["expires_at"].is_string());
    CHECK(made["existed"] == false);
    // Asked without a cart, at most half a cart payable with points: the code needs an order of
    // 6.00, else the customer would redeem with an empty cart and pay a whole order with it.
    CHECK(made["minimum_subtotal_minor"] == 600);
    CHECK(f.available() == 20);  // reserved with the grant, before the answer
    // ... and the code's expiry is set to release the points if no order uses it by then
    CHECK(query_int(f.dir.str(), "SELECT COUNT(*) FROM wakeups WHERE shop_id = '~code:wc1' AND order_id = '" + code +
                                     "' AND due_at = " +
                                     std::to_string(parse_timestamp(made["expires_at"].get<std::string>()).value())) == 1);

    const auto again = f.redeem(body);  // e.g. a double click, or a retry after a lost answer
    REQUIRE(again);
    CHECK(again->status == 200);
    const auto repeat = json::parse(again->body);
    CHECK(repeat["code"] == code);
    CHECK(repeat["existed"] == true);
    CHECK(repeat["points"] == 30);
    CHECK(repeat["available_after"] == 20);
    CHECK(repeat["minimum_subtotal_minor"] == 600);

    f.fake.release();
    REQUIRE(wait_status(f.dir.str(), "wc1:redeem:wp-7f3a", "delivered"));
    CHECK(json::parse(f.redeem(body)->body)["status"] == "delivered");
    const auto coupons = f.fake.coupons();
    REQUIRE(coupons.size() == 1);
    CHECK(coupons[0].code == lower(code));  // WooCommerce keeps codes lower-cased
    CHECK(coupons[0].amount == "3.00");
    CHECK(coupons[0].minimum_amount == "6.00");
    CHECK(json::parse(coupons[0].body)["email_restrictions"] == json::array({k_ada}));
    CHECK(f.available() == 20);
    CHECK(f.outbox_rows() == 1);
}

TEST_CASE("the same redemption id sent concurrently takes the points once") {
    RedeemFixture f;
    std::vector<std::future<int>> answers;
    for (int i = 0; i < 4; ++i) {
        answers.push_back(std::async(std::launch::async, [&f] {
            const auto res = f.redeem(ask(20, "wp-double-click"));
            return res ? res->status : 0;
        }));
    }
    std::vector<int> statuses;
    for (auto& a : answers) statuses.push_back(a.get());
    std::sort(statuses.begin(), statuses.end());
    CHECK(statuses == std::vector<int>{200, 200, 200, 201});
    CHECK(f.available() == 30);
    REQUIRE(wait_status(f.dir.str(), "wc1:redeem:wp-double-click", "delivered"));
    CHECK(f.fake.coupons().size() == 1);
}

TEST_CASE("a refused redemption is a JSON error that takes no points and queues no coupon") {
    RedeemFixture f;
    REQUIRE(f.redeem(ask(10, "wp-1"))->status == 201);
    REQUIRE(f.available() == 40);

    check_error(f.redeem(ask(41, "wp-2")), 409, "insufficient_points", "points");
    check_error(f.redeem(ask(9, "wp-3")), 409, "below_minimum_redemption", "points");
    auto cart = ask(20, "wp-4");
    cart["cart_total"] = 399;  // half of 3.99 is 1.99, under the 2.00 the points are worth
    check_error(f.redeem(cart), 409, "exceeds_cart_share", "points");
    check_error(f.redeem(ask(20, "wp-1")), 409, "exists_with_different_content", "redemption_id");
    auto other = ask(10, "wp-1");
    other["customer_email"] = "bob@example.test";
    check_error(f.redeem(other), 409, "exists_with_different_content", "redemption_id");
    auto no_id = ask(10, "");
    no_id.erase("redemption_id");
    check_error(f.redeem(no_id), 400, "missing_field", "redemption_id");
    check_error(f.redeem(ask(10, "no spaces allowed")), 400, "invalid_field", "redemption_id");
    // "wp-1:release" would be stored under the key of wp-1's release, which then never comes.
    check_error(f.redeem(ask(10, "wp-1:release")), 400, "invalid_field", "redemption_id");
    check_error(f.redeem(ask(0, "wp-5")), 400, "invalid_field", "points");
    auto unknown = ask(10, "wp-6");
    unknown["shop"] = "nope";
    check_error(f.redeem(unknown), 404, "unknown_shop", "");
    const auto anonymous = f.daemon->client().Post("/api/v1/redeem", ask(10, "wp-7").dump(), "application/json");
    check_error(anonymous, 401, "unauthorized", "");

    CHECK(f.available() == 40);
    CHECK(f.outbox_rows() == 1);
    cart["cart_total"] = 400;  // exactly half: allowed
    REQUIRE(f.redeem(cart)->status == 201);
    CHECK(f.available() == 20);
}
