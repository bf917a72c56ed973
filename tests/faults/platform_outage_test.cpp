// A shop's API down for a long stretch (time compressed by small retry settings): 503s, then
// 429s, then hanging requests whose coupons are created but never answered, then reset
// connections, while rewards wait in the outbox. Nothing may be lost or issued twice, nothing
// parked, and the outbox drains once the shop is back.
#include "daemon/woocommerce_support.hpp"
#include "daemon/metrics_support.hpp"
#include "net/http_client.hpp"
#include "outbox/woocommerce_coupon_deliverer.hpp"

#include <ctime>
#include <map>
#include <thread>

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::woocommerce;

namespace {

constexpr int k_grants = 12;

// Retries every 20-200 ms and 300 ms timeouts: seconds of outage are many attempts per grant.
std::string outage_config(const TempDir& dir) {
    const std::string path = dir.str() + "/outage.conf";
    std::ofstream(path) << "outbox_retry_base_ms = 20\noutbox_retry_max_ms = 200\noutbox_poll_interval_ms = 20\n"
                           "outbox_attempts_max = 1000\nplatform_timeout_ms = 300\n";
    return path;
}

bool within(int timeout_ms, const std::function<bool()>& done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

// Keeps `outage` up until every kind of request in it has been met a few times (bounded).
void hold_outage(FakeWooCommerce& fake, Outage outage, int answers) {
    fake.set_outage(outage);
    CHECK_MESSAGE(within(15000, [&] { return fake.outage_answers(outage) >= answers; }),
                  "outage ", static_cast<int>(outage), " met ", fake.outage_answers(outage), " times");
}

}  // namespace

TEST_CASE("a shop down for a long stretch loses no reward, issues none twice, and the outbox drains after") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    fake.set_outage(Outage::server_error);
    DaemonProcess daemon(dir.str(), {"--config", outage_config(dir)});
    for (int i = 0; i < k_grants; ++i) enqueue(dir.str(), test_grant("outage-" + std::to_string(i)));

    hold_outage(fake, Outage::server_error, 2 * k_grants);
    hold_outage(fake, Outage::rate_limited, k_grants);
    hold_outage(fake, Outage::hanging, 4);  // coupons created, answers never received
    hold_outage(fake, Outage::resetting, 2 * k_grants);
    const std::size_t created_while_down = fake.coupons().size();
    CHECK(created_while_down >= 1);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM outbox WHERE status = 'parked'") == 0);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM outbox WHERE status = 'delivered'") == 0);
    const auto down = scrape(daemon);
    CHECK(sample(down, R"(rewardd_outbox_items{status="pending"})") == std::to_string(k_grants));
    CHECK(sample(down, R"(rewardd_outbox_oldest_age_seconds{status="pending"})") != "");

    fake.set_outage(Outage::none);
    REQUIRE(eventually([&] {
        return query_int(dir.str(), "SELECT COUNT(*) FROM outbox WHERE status = 'delivered'") == k_grants;
    }));
    std::map<std::string, int> coupons_per_grant;
    for (const auto& c : fake.coupons()) ++coupons_per_grant[c.grant_id];
    CHECK(coupons_per_grant.size() == static_cast<std::size_t>(k_grants));
    for (int i = 0; i < k_grants; ++i) CHECK(coupons_per_grant["outage-" + std::to_string(i)] == 1);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM outbox WHERE status != 'delivered'") == 0);

    const auto up = scrape_until(daemon, R"(rewardd_outbox_items{status="delivered"})", std::to_string(k_grants));
    CHECK(sample(up, R"(rewardd_outbox_items{status="delivered"})") == std::to_string(k_grants));
    CHECK(sample(up, R"(rewardd_outbox_items{status="pending"})") == "");
    CHECK(sample(up, R"(rewardd_outbox_attempts_total{platform="woocommerce",outcome="delivered"})") ==
          std::to_string(k_grants));
    CHECK(std::stoi(sample(up, R"(rewardd_outbox_attempts_total{platform="woocommerce",outcome="retry"})")) >=
          3 * k_grants);
}

// The outage test relies on the fake shop holding to the outage a request met. Once, the fake
// read the outage again after creating the coupon, so a creation that met the hang and was still
// under way when the test moved on to the next outage was answered 201: the outage test then
// found one reward delivered while the shop was down (seen twice in full runs). Here the creation
// is held (created, answer not yet sent) while the test ends the hang.
TEST_CASE("a coupon creation that met the fake shop's hang is never answered, even when the outage ends meanwhile") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    fake.set_outage(Outage::hanging);
    fake.hold_create_answers(10000);
    const Shop shop{"wc1", "woocommerce", "test-webhook-secret",
                    {{"url", fake.url()}, {"consumer_key", k_key}, {"consumer_secret", k_consumer_secret}, {"currency", "USD"}},
                    0};
    WooCommerceCouponDeliverer deliverer(WooCommerceRest(std::make_shared<CurlHttpClient>(), 5000, [] {
        return static_cast<Timestamp>(std::time(nullptr));
    }));
    DeliveryOutcome outcome;
    std::thread sender([&] { outcome = deliverer.deliver(shop, test_grant("held")); });
    const bool created = within(5000, [&] { return fake.coupons().size() == 1; });  // its answer now held
    fake.set_outage(Outage::resetting);
    sender.join();
    REQUIRE(created);
    CHECK(outcome.status == DeliveryStatus::retry);  // the connection was reset unanswered
    CHECK(fake.coupons().size() == 1);
}
