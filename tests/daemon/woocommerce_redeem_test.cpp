// End to end, the shop owner's story: WooCommerce orders earn points through the real webhook
// captures, the customer redeems them with `rewardd redeem`, and exactly one coupon arrives in
// the (fake) shop, even when the shop fails the first attempts.
#include "daemon/woocommerce_support.hpp"
#include "woocommerce/capture.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <functional>
#include <thread>

#include "core/timestamp.hpp"

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::woocommerce;
using rewardd::test::shopify::wait_applied;

namespace {

const std::string k_ada = "ada@example.test";

// Points available on completion; 10 points = 1.00; redemptions from 10 points.
// `top` adds daemon keys before the [rules] table.
std::string story_config(const TempDir& dir, const std::string& top = "") {
    const std::string path = fast_config(dir);
    std::ofstream(path, std::ios::app) << top << "[rules]\npending_mode = \"on_completion\"\nredeem_points_per_unit = 10\n"
                                          "redeem_minimum_points = 10\n";
    return path;
}

std::int64_t available(const std::string& data) {
    return query_int(data, "SELECT COALESCE(SUM(available_delta), 0) FROM ledger WHERE customer = '" + k_ada + "'");
}

}  // namespace

TEST_CASE("points from WooCommerce orders are redeemed into exactly one coupon in the shop") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    DaemonProcess daemon(dir.str(), {"--config", story_config(dir)});
    post_capture(daemon, "003-order.created.http");
    post_capture(daemon, "005-order.updated.http");  // completed: the 50 points become available
    REQUIRE(eventually([&] { return available(dir.str()) == 50; }));

    fake.fail_next_creates(2, 503);
    const auto r = run_rewardd({"redeem", k_ada, "--points", "30", "--id", "r-1", "--expires-days", "30", "--json",
                                "--data", dir.str()});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto out = nlohmann::json::parse(r.out);
    CHECK(out["amount_minor"] == 300);
    CHECK(out["currency"] == "USD");
    CHECK(out["available_after"] == 20);
    CHECK(available(dir.str()) == 20);  // reserved at once, in the same transaction as the grant
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM ledger WHERE kind = 'reserve' AND available_delta = -30") == 1);

    REQUIRE(wait_status(dir.str(), "wc1:redeem:r-1", "delivered"));
    const auto coupons = fake.coupons();
    REQUIRE(coupons.size() == 1);
    CHECK(coupons[0].amount == "3.00");
    std::string code = out["code"].get<std::string>();  // WooCommerce keeps it lower-cased
    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::tolower(c); });
    CHECK(coupons[0].code == code);
    const auto body = nlohmann::json::parse(coupons[0].body);
    CHECK(body["email_restrictions"] == nlohmann::json::array({k_ada}));
    CHECK(body.contains("date_expires_gmt"));

    const auto again = run_rewardd({"redeem", k_ada, "--points", "30", "--id", "r-1", "--data", dir.str()});
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("already redeemed") != std::string::npos);
    CHECK(available(dir.str()) == 20);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM outbox") == 1);

    const auto too_many = run_rewardd({"redeem", k_ada, "--points", "500", "--data", dir.str()});
    CHECK(too_many.exit_code != 0);
    CHECK(too_many.err.find("rewardd: insufficient_points: ") != std::string::npos);
    CHECK(available(dir.str()) == 20);
    CHECK(fake.coupons().size() == 1);
}

namespace {

// Order 12 of the captures, completed, renumbered and paid now with `coupon` (lower-cased, as
// WooCommerce keeps coupon codes).
std::string order_with_coupon(int id, std::string coupon) {
    auto doc = nlohmann::json::parse(read_capture("005-order.updated.http").body);
    std::transform(coupon.begin(), coupon.end(), coupon.begin(), [](unsigned char c) { return std::tolower(c); });
    doc["id"] = id;
    doc["coupon_lines"] = nlohmann::json::array({{{"id", id * 10}, {"code", coupon}, {"discount", "3.00"},
                                                  {"discount_tax", "0.00"}, {"meta_data", nlohmann::json::array()}}});
    std::string now = format_timestamp(static_cast<Timestamp>(std::time(nullptr)));
    now.pop_back();  // WooCommerce's *_gmt fields carry no "Z"
    for (const char* field : {"date_created_gmt", "date_modified_gmt", "date_paid_gmt", "date_completed_gmt"}) {
        doc[field] = now;
    }
    return doc.dump();
}

void post_order(const DaemonProcess& d, const std::string& body) {
    httplib::Headers h{{"X-WC-Webhook-Topic", "order.updated"}, {"X-WC-Webhook-Signature", sign("test-webhook-secret", body)},
                       {"X-WC-Webhook-ID", "2"}};
    auto res = d.client().Post("/webhooks/woocommerce/wc1", h, body, "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 200);
}

std::int64_t count_key(const std::string& data, const std::string& key, const std::string& kind) {
    return query_int(data, "SELECT COUNT(*) FROM ledger WHERE key = '" + key + "' AND kind = '" + kind + "'");
}

// Waits for a code's expiry (seconds away) and the writer's next release check: a cap, not a timing.
bool within_a_minute(const std::function<bool()>& ready) {
    for (int i = 0; i < 600; ++i) {
        if (ready()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

}  // namespace

TEST_CASE("an order paid with a redemption code commits its points, a code that expires unused gives them back, and one used after all takes them again") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    DaemonProcess daemon(dir.str(), {"--config", story_config(dir, "release_check_interval_ms = 50\n")});
    post_capture(daemon, "003-order.created.http");
    post_capture(daemon, "005-order.updated.http");
    REQUIRE(eventually([&] { return available(dir.str()) == 50; }));

    // r-1 is used by order 20: its 30 points are spent for good, and stay so when the order repeats.
    const auto used = run_rewardd({"redeem", k_ada, "--points", "30", "--id", "r-1", "--expires-days", "30", "--json",
                                   "--data", dir.str()});
    REQUIRE_MESSAGE(used.exit_code == 0, used.err);
    const std::string used_code = nlohmann::json::parse(used.out)["code"].get<std::string>();
    REQUIRE(wait_status(dir.str(), "wc1:redeem:r-1", "delivered"));
    const std::string order20 = order_with_coupon(20, used_code);
    post_order(daemon, order20);
    post_order(daemon, order20);
    wait_applied(dir.str());
    CHECK(count_key(dir.str(), "wc1:redeem:r-1:commit", "redeem_commit") == 1);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM ledger WHERE key = 'wc1:redeem:r-1:commit' AND order_id = '20' "
                               "AND refers_to = 'wc1:redeem:r-1' AND available_delta = 0") == 1);
    const std::int64_t after_order = available(dir.str());  // order 20 earned its own 50 points
    CHECK(after_order == 20 + 50);

    // r-2 expires five seconds from now, unused: released, its points back.
    const std::string expires = format_timestamp(static_cast<Timestamp>(std::time(nullptr)) + 5);
    const auto unused = run_rewardd({"redeem", k_ada, "--points", "10", "--id", "r-2", "--expires-at", expires,
                                     "--json", "--data", dir.str()});
    REQUIRE_MESSAGE(unused.exit_code == 0, unused.err);
    CHECK(available(dir.str()) == after_order - 10);
    REQUIRE(within_a_minute([&] { return count_key(dir.str(), "wc1:redeem:r-2:release", "reserve_release") == 1; }));
    CHECK(available(dir.str()) == after_order);
    CHECK(count_key(dir.str(), "wc1:redeem:r-1:release", "reserve_release") == 0);  // r-1's commit stands

    // An order with the released code after all (an on-hold order paid late): the customer had the
    // discount, so its 10 points are taken again, once however often the order arrives.
    const std::string order21 = order_with_coupon(21, nlohmann::json::parse(unused.out)["code"].get<std::string>());
    post_order(daemon, order21);
    post_order(daemon, order21);
    wait_applied(dir.str());
    CHECK(count_key(dir.str(), "wc1:redeem:r-2:commit", "redeem_commit") == 1);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM ledger WHERE key = 'wc1:redeem:r-2:commit' AND order_id = '21' "
                               "AND available_delta = -10") == 1);
    CHECK(available(dir.str()) == after_order + 50 - 10);  // order 21's own points, less the code's

    const auto story = run_rewardd({"explain", k_ada, "--data", dir.str()});
    REQUIRE_MESSAGE(story.exit_code == 0, story.err);
    CHECK(story.out.find("code used by order 20") != std::string::npos);
    CHECK(story.out.find("code expired unused") != std::string::npos);
}
