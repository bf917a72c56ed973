// Each open connection holds one of the http_threads workers. Platforms give a delivery 5 s
// (Shopify: connect within 1 s, answer within 5 s; WooCommerce: WordPress's 5 s timeout), so a
// worker kept by a connection that went quiet must come back well within that, or a new sender
// finds every worker held by idle keep-alive connections and times out.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "net/outgoing_http_support.hpp"
#include "support/daemon_process.hpp"

using namespace rewardd::test;

namespace {

std::size_t thread_count(int pid) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) ++n;
    return n;
}

}  // namespace

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

// Workers are started as connections come and end 5 s after their last one (the idle shed then
// gives their memory back); a fixed pool would keep all of them for the daemon's lifetime.
TEST_CASE("the daemon's HTTP workers end once their senders have gone quiet, and start again for new ones") {
    TempDir dir;
    const std::string config = dir.str() + "/rewardd.toml";
    std::ofstream(config) << "http_threads = 6\naccess_log_level = \"off\"\n";
    DaemonProcess daemon(dir.str(), {"--config", config});
    const auto busy_burst = [&] {
        std::vector<httplib::Client> senders;
        for (int i = 0; i < 4; ++i) {
            senders.push_back(daemon.client());
            senders.back().set_keep_alive(true);
            REQUIRE(senders.back().Get("/healthz"));  // each keeps its connection, and so a worker
        }
        return thread_count(daemon.pid());
    };
    const std::size_t during = busy_burst();
    // The four connections closed; their workers end within the exit delay.
    CHECK(eventually([&] { return thread_count(daemon.pid()) + 4 <= during; }));
    const std::size_t again = busy_burst();
    CHECK(again >= during - 1);
    auto res = daemon.client().Get("/healthz");
    REQUIRE(res);
    CHECK(res->status == 200);
}
