// A shop's API down for a long stretch (time compressed by small retry settings): 503s, then
// 429s, then hanging requests whose coupons are created but never answered, then reset
// connections, while rewards wait in the outbox. Nothing may be lost or issued twice, nothing
// parked, and the outbox drains once the shop is back.
#include "daemon/woocommerce_support.hpp"
#include "daemon/metrics_support.hpp"

#include <map>

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
