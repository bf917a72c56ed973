// SIGTERM during a load of webhooks: the daemon stops accepting, answers what it took in, commits
// and applies every batch, and exits 0.
#include "faults/fault_support.hpp"

using namespace rewardd::test;
using namespace rewardd::test::shopify;

TEST_CASE("SIGTERM under load finishes in-flight requests and batches, then exits 0") {
    const auto history = shopify_history(recorded_fixtures(), 3000);
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    const int port = daemon.port();
    std::vector<char> answered(history.size(), 0);
    std::atomic<int> refused_with_status{0};
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < 4; ++t) {
        pool.emplace_back([&] {
            auto cli = keep_alive_client(port);
            for (std::size_t i = next++; i < history.size(); i = next++) {
                auto res = post_delivery(cli, history[i]);
                if (!res) return;  // the connection was closed: the daemon stopped taking requests
                if (res->status == 200) answered[i] = 1;
                else ++refused_with_status;
            }
        });
    }
    REQUIRE(eventually([&] { return next.load() > 40; }));
    daemon.stop_gracefully();
    for (auto& t : pool) t.join();

    CHECK(daemon.last_exit_code() == 0);
    CHECK(refused_with_status == 0);  // a request taken in is answered 200, never 5xx
    CHECK(next.load() < history.size());  // it did stop mid-load
    const auto answered_count = std::count(answered.begin(), answered.end(), 1);
    MESSAGE("answered before SIGTERM took effect: " << answered_count);
    CHECK(answered_count > 0);
    for (std::size_t i = 0; i < history.size(); ++i) {
        if (answered[i]) REQUIRE_MESSAGE(stored_count(dir.str(), history[i]) == 1, history[i].fact);
    }
    // Every committed batch was also applied before exit.
    CHECK(query_int(dir.str(), "SELECT (SELECT seq FROM apply_cursor) = (SELECT COALESCE(MAX(seq), 0) FROM events)") == 1);
    // No longer listening.
    httplib::Client cli("127.0.0.1", port);
    cli.set_connection_timeout(1, 0);
    CHECK_FALSE(cli.Get("/healthz"));
}
