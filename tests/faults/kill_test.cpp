// kill -9 of the daemon at random moments during a load of signed webhooks, restarted each time:
// what was answered 2xx survives exactly once, and re-sending the rest completes the same ledger
// as a clean run.
#include <random>

#include "faults/fault_support.hpp"

using namespace rewardd::test;
using namespace rewardd::test::shopify;

namespace {

constexpr int k_kills = 24;
constexpr int k_orders = 300;

// Loads the daemon from four connections and kills it after a random 20..150 ms, `kills` times.
std::vector<char> deliver_while_killing(const std::string& data, const std::vector<Delivery>& history, int kills,
                                        std::vector<std::string> daemon_args = {}) {
    std::vector<char> answered(history.size(), 0);
    std::mt19937 rng(20261123);
    std::size_t from = 0;
    DaemonProcess daemon(data, std::move(daemon_args));
    for (int round = 0; round < kills; ++round) {
        if (round > 0) daemon.start();
        std::vector<std::size_t> order;
        for (std::size_t i = from; i < history.size(); ++i) order.push_back(i);
        std::thread load([&, port = daemon.port()] { post_all(port, history, order, answered); });
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 150)(rng)));
        daemon.kill_hard();
        load.join();
        // The next round starts after the last answered delivery; what was not answered is re-sent later.
        while (from < history.size() && answered[from]) ++from;
    }
    return answered;
}

}  // namespace

TEST_CASE("every webhook answered 2xx before a kill -9 is stored once and re-sent ones complete the ledger") {
    const auto history = shopify_history(recorded_fixtures(), k_orders);
    TempDir killed, clean;
    add_shop(killed.str());
    add_shop(clean.str());

    const auto answered = deliver_while_killing(killed.str(), history, k_kills);
    const auto answered_count = std::count(answered.begin(), answered.end(), 1);
    MESSAGE("kills: " << k_kills << ", deliveries answered 2xx before a kill: " << answered_count);
    CHECK(answered_count > 0);
    {
        DaemonProcess daemon(killed.str());  // restart: stored events are applied from the cursor
        wait_all_applied(killed.str());
        for (std::size_t i = 0; i < history.size(); ++i) {
            if (answered[i]) REQUIRE_MESSAGE(stored_count(killed.str(), history[i]) == 1, history[i].fact);
        }
        CHECK(query_int(killed.str(), "SELECT COUNT(*) FROM ledger WHERE key LIKE '%:earn:%'") ==
              3 * query_int(killed.str(), "SELECT COUNT(DISTINCT order_id) FROM events WHERE event_id LIKE '%:paid'"));
        // Shopify re-sends whatever was not answered, and may re-send answered ones too.
        std::vector<char> resent(history.size(), 0);
        post_all(daemon.port(), history, in_order(history.size()), resent);
        CHECK(std::count(resent.begin(), resent.end(), 1) == static_cast<long>(history.size()));
        wait_all_applied(killed.str());
        daemon.stop_gracefully();
        CHECK(daemon.last_exit_code() == 0);
    }
    {
        DaemonProcess daemon(clean.str());
        std::vector<char> sent(history.size(), 0);
        post_all(daemon.port(), history, in_order(history.size()), sent);
        wait_all_applied(clean.str());
    }
    for (const auto& d : history) REQUIRE_MESSAGE(stored_count(killed.str(), d) == 1, d.fact);
    const auto ledger = ledger_fingerprint(killed.str());
    CHECK(ledger.size() > 0);
    CHECK(ledger == ledger_fingerprint(clean.str()));
}

// At `durability = "normal"` a commit is not fsync'd, but a process that dies leaves what it wrote
// in the system's page cache: an answered webhook must survive a kill -9 as it does at "full". The
// WAL writes SQLite asks for are gathered in the daemon's memory (store/wal_write_gathering.hpp),
// so this holds only because a commit's frames reach the file before the commit returns.
TEST_CASE("at durability normal, every webhook answered 2xx before a kill -9 is stored once") {
    const auto history = shopify_history(recorded_fixtures(), 150);
    TempDir killed;
    add_shop(killed.str());
    const auto answered = deliver_while_killing(killed.str(), history, 8, config_args(killed, "durability = \"normal\"\n"));
    const auto answered_count = std::count(answered.begin(), answered.end(), 1);
    MESSAGE("kills: 8, deliveries answered 2xx before a kill: " << answered_count);
    CHECK(answered_count > 0);
    for (std::size_t i = 0; i < history.size(); ++i) {
        if (answered[i]) REQUIRE_MESSAGE(stored_count(killed.str(), history[i]) == 1, history[i].fact);
    }
}
