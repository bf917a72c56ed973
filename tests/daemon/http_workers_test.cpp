// Each open connection holds one of the http_threads workers. Platforms give a delivery 5 s
// (Shopify: connect within 1 s, answer within 5 s; WooCommerce: WordPress's 5 s timeout), so a
// worker kept by a connection that went quiet must come back well within that, or a new sender
// finds every worker held by idle keep-alive connections and times out.
#include <doctest/doctest.h>

#include <fstream>
#include <vector>

#include "support/daemon_process.hpp"

using namespace rewardd::test;

TEST_CASE("a sender finding every worker held by idle keep-alive connections is answered within the platforms' 5 s") {
    TempDir dir;
    const std::string config = dir.str() + "/rewardd.toml";
    std::ofstream(config) << "http_threads = 2\naccess_log_level = \"off\"\n";
    DaemonProcess daemon(dir.str(), {"--config", config});
    std::vector<httplib::Client> idle;
    for (int i = 0; i < 2; ++i) {
        idle.push_back(daemon.client());
        idle.back().set_keep_alive(true);
        REQUIRE(idle.back().Get("/healthz"));  // answered, then left open and quiet
    }
    auto late = daemon.client();
    late.set_connection_timeout(4, 0);
    late.set_read_timeout(4, 0);  // a platform's 5 s, less a margin for a loaded machine
    auto res = late.Get("/healthz");
    REQUIRE(res);
    CHECK(res->status == 200);
    // The quiet connections were closed by the server, and their senders just reconnect.
    for (auto& c : idle) {
        auto again = c.Get("/healthz");
        REQUIRE(again);
        CHECK(again->status == 200);
    }
}
