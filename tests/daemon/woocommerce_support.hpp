// Helpers for the WooCommerce outbox end-to-end tests: a fake shop registered with the daemon, a
// config with fast retries, grants written to the outbox as the daemon's own code writes them.
#pragma once

#include <fstream>

#include "daemon/shopify_support.hpp"
#include "fakes/fake_woocommerce.hpp"
#include "outbox/outbox_store.hpp"
#include "rewards/grant_code.hpp"
#include "store/database.hpp"
#include "woocommerce/capture.hpp"

namespace rewardd::test::woocommerce {

using rewardd::test::shopify::eventually;
using rewardd::test::shopify::query_int;

inline const std::string k_key = "ck_test_0123456789";
inline const std::string k_consumer_secret = "cs_test_0123456789";

// Fast retries, so a few failed attempts take well under a second. The order sweep is off unless
// asked for: its listing would add to the requests these tests count.
inline std::string fast_config(const TempDir& dir, int woocommerce_order_sweep_interval_s = 0) {
    const std::string path = dir.str() + "/rewardd.conf";
    std::ofstream(path) << "outbox_retry_base_ms = 20\noutbox_retry_max_ms = 100\noutbox_poll_interval_ms = 20\n"
                           "platform_timeout_ms = 5000\nwoocommerce_order_sweep_interval_s = "
                        << woocommerce_order_sweep_interval_s << "\n";
    return path;
}

inline void add_woo_shop(const std::string& data, const std::string& url, const std::string& secret = k_consumer_secret) {
    const auto r = run_rewardd({"shop", "add", "wc1", "--platform", "woocommerce", "--secret", "test-webhook-secret",
                                "--url", url, "--consumer-key", k_key, "--consumer-secret", secret, "--data", data});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

inline RewardGrant test_grant(const std::string& id) {
    RewardGrant g;
    g.grant_id = id;
    g.shop_id = "wc1";
    g.code = grant_coupon_code("RWD", id);
    g.amount_minor = 1250;
    g.currency = "USD";
    g.customer_email = "ada@example.test";
    g.description = "test grant " + id;
    return g;
}

inline void enqueue(const std::string& data, const RewardGrant& grant) {
    auto db = open_database({data + "/rewardd.db", Durability::full});
    REQUIRE(db);
    REQUIRE(OutboxStore(*db).enqueue(grant, 1700000000));
}

inline std::string outbox_status(const std::string& data, const std::string& grant_id) {
    auto db = shopify::open_db(data);
    SQLite::Statement q(db, "SELECT status FROM outbox WHERE grant_id = ?");
    q.bind(1, grant_id);
    return q.executeStep() ? q.getColumn(0).getString() : "";
}

inline bool wait_status(const std::string& data, const std::string& grant_id, const std::string& status) {
    return eventually([&] { return outbox_status(data, grant_id) == status; });
}

// Posts a real capture as WooCommerce sent it (its X-WC-* headers, body byte for byte) to shop wc1.
inline void post_capture(const DaemonProcess& d, const std::string& name) {
    const Capture c = read_capture(name);
    httplib::Headers h;
    for (const auto& [k, v] : c.headers) {
        if (k.rfind("X-WC-", 0) == 0) h.emplace(k, v);
    }
    auto res = d.client().Post("/webhooks/woocommerce/wc1", h, c.body, "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 200);
}

}  // namespace rewardd::test::woocommerce
