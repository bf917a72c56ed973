// End to end, the shop owner's story: WooCommerce orders earn points through the real webhook
// captures, the customer redeems them with `rewardd redeem`, and exactly one coupon arrives in
// the (fake) shop, even when the shop fails the first attempts.
#include "daemon/woocommerce_support.hpp"
#include "woocommerce/capture.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::woocommerce;

namespace {

const std::string k_ada = "ada@example.test";

// Points available on completion; 10 points = 1.00; redemptions from 10 points.
std::string story_config(const TempDir& dir) {
    const std::string path = fast_config(dir);
    std::ofstream(path, std::ios::app) << "[rules]\npending_mode = \"on_completion\"\nredeem_points_per_unit = 10\n"
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
