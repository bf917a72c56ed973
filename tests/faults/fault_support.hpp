// Helpers for the fault tests: the generated Shopify history posted to a running daemon from
// several keep-alive connections, and what the daemon's database holds afterwards.
#pragma once

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "daemon/shopify_support.hpp"
#include "faults/shopify_history.hpp"

namespace rewardd::test::shopify {

inline ShopifyFixtures recorded_fixtures() {
    return {fixture("orders-paid.json"), fixture("refunds-create.json"), fixture("orders-cancelled.json")};
}

inline httplib::Client keep_alive_client(int port) {
    httplib::Client cli("127.0.0.1", port);
    cli.set_keep_alive(true);
    cli.set_connection_timeout(2, 0);
    cli.set_read_timeout(15, 0);
    return cli;
}

// Posts one delivery; `webhook_id` overrides the delivery's own (a second subscription's copy).
inline httplib::Result post_delivery(httplib::Client& cli, const Delivery& d, const std::string& webhook_id = "") {
    httplib::Headers h{{"X-Shopify-Shop-Domain", k_domain}, {"X-Shopify-Topic", d.topic},
                       {"X-Shopify-Hmac-Sha256", sign(k_secret, d.body)},
                       {"X-Shopify-Webhook-Id", webhook_id.empty() ? d.webhook_id : webhook_id},
                       {"X-Shopify-API-Version", "2026-07"}};
    return cli.Post("/webhooks/shopify", h, d.body, "application/json");
}

// Posts deliveries[order[i]] from `threads` connections, each taking the next index until the
// list ends or a post fails (the daemon died). answered[k] is set when delivery k got a 2xx.
inline void post_all(int port, const std::vector<Delivery>& deliveries, const std::vector<std::size_t>& order,
                     std::vector<char>& answered, int threads = 4) {
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            auto cli = keep_alive_client(port);
            for (std::size_t i = next++; i < order.size(); i = next++) {
                auto res = post_delivery(cli, deliveries[order[i]]);
                if (!res) return;
                std::lock_guard lock(mutex);
                if (res->status / 100 == 2) answered[order[i]] = 1;
            }
        });
    }
    for (auto& t : pool) t.join();
}

// Like wait_applied, with a bound generous enough for a slow disk on a loaded machine.
inline void wait_all_applied(const std::string& data) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (query_int(data, "SELECT (SELECT seq FROM apply_cursor) >= (SELECT COALESCE(MAX(seq), 0) FROM events)") != 1) {
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

inline std::vector<std::size_t> in_order(std::size_t n) {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    return order;
}

inline std::int64_t stored_count(const std::string& data, const Delivery& d) {
    return query_int(data, "SELECT COUNT(*) FROM events WHERE event_id = 'shopify:s1:" + d.fact + "'");
}

// Row counts of the tables a delivery can write, to show that nothing was written.
inline std::string table_counts(const std::string& data) {
    std::string out;
    for (const char* t : {"events", "ledger", "shopify_deliveries", "customers", "outbox", "conflicts"}) {
        out += std::string(t) + "=" + std::to_string(query_int(data, std::string("SELECT COUNT(*) FROM ") + t)) + " ";
    }
    return out;
}

}  // namespace rewardd::test::shopify
