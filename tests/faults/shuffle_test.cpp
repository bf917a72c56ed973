// The same history delivered shuffled, with every webhook repeated up to three times (Shopify's
// retries of one delivery, and copies under other delivery ids), gives the ledger of the clean,
// in-order run.
#include <random>

#include "faults/fault_support.hpp"

using namespace rewardd::test;
using namespace rewardd::test::shopify;

TEST_CASE("shuffled deliveries repeated up to three times give the ledger of the in-order run") {
    const auto history = shopify_history(recorded_fixtures(), 60);
    TempDir orderly, shuffled;
    add_shop(orderly.str());
    add_shop(shuffled.str());
    {
        DaemonProcess daemon(orderly.str());
        auto cli = keep_alive_client(daemon.port());
        for (const auto& d : history) REQUIRE(post_delivery(cli, d)->status == 200);
        wait_all_applied(orderly.str());
    }
    // Each delivery 1..3 times; a repeat keeps its webhook id (a retry) or gets a new one (a copy).
    std::mt19937 rng(7);
    std::vector<std::pair<std::size_t, std::string>> sends;
    for (std::size_t i = 0; i < history.size(); ++i) {
        const int copies = std::uniform_int_distribution<int>(1, 3)(rng);
        for (int c = 0; c < copies; ++c) {
            sends.push_back({i, c > 0 && rng() % 2 ? history[i].webhook_id + "-copy" + std::to_string(c) : ""});
        }
    }
    std::shuffle(sends.begin(), sends.end(), rng);
    {
        DaemonProcess daemon(shuffled.str());
        std::atomic<std::size_t> next{0};
        std::atomic<int> failures{0};
        std::vector<std::thread> pool;
        for (int t = 0; t < 4; ++t) {
            pool.emplace_back([&] {
                auto cli = keep_alive_client(daemon.port());
                for (std::size_t i = next++; i < sends.size(); i = next++) {
                    auto res = post_delivery(cli, history[sends[i].first], sends[i].second);
                    if (!res || res->status != 200) ++failures;
                }
            });
        }
        for (auto& t : pool) t.join();
        CHECK(failures == 0);
        wait_all_applied(shuffled.str());
    }
    MESSAGE("deliveries: " << history.size() << " in order, " << sends.size() << " shuffled with repeats");
    CHECK(sends.size() > history.size() * 3 / 2);
    const auto ledger = ledger_fingerprint(orderly.str());
    CHECK(ledger.size() > 0);
    CHECK(ledger_fingerprint(shuffled.str()) == ledger);
    CHECK(query_int(shuffled.str(), "SELECT COUNT(*) FROM events") == query_int(orderly.str(), "SELECT COUNT(*) FROM events"));
    CHECK(query_int(shuffled.str(), "SELECT COUNT(*) FROM conflicts") == 0);
    CHECK(query_int(orderly.str(), "SELECT COUNT(*) FROM conflicts") == 0);
}
