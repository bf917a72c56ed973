// Helpers for the Shopify end-to-end tests: fixture bodies with their recorded headers, a shop
// registered for jsmith.myshopify.com, direct reads of the daemon's database, bounded waits.
#pragma once

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "support/daemon_process.hpp"

namespace rewardd::test::shopify {

using nlohmann::json;

inline const std::string k_secret = "test-shopify-client-secret";
inline const std::string k_domain = "jsmith.myshopify.com";

inline std::string fixture(const std::string& name) {
    return read_file(std::string(REWARDD_FIXTURES_DIR) + "/shopify/" + name);
}

inline json recorded_headers(const std::string& name) {
    return json::parse(fixture("webhook-headers.json"))["deliveries"][name];
}

// The Admin API of the shops these tests register: a loopback port nothing listens on, so the
// token and subscription calls that `shop add` and the daemon make fail at once and locally,
// instead of asking DNS for the shop's real domain and reaching for Shopify.
inline const std::string k_unreachable_api = "http://127.0.0.1:1";

inline void add_shop(const std::string& data, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"shop", "add", "s1", "--platform", "shopify", "--secret", "legacy-webhook-secret-0001",
                                  "--domain", k_domain, "--client-id", "test-client-id", "--client-secret", k_secret,
                                  "--api-base", k_unreachable_api, "--data", data};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_rewardd(args);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

// Posts a fixture body byte for byte with the headers Shopify sent with it.
inline httplib::Result post_fixture(const DaemonProcess& d, const std::string& name) {
    httplib::Headers h;
    const json headers = recorded_headers(name);  // kept alive: items() only refers to it
    for (const auto& [k, v] : headers.items()) {
        if (k != "Content-Length" && k != "Content-Type") h.emplace(k, v.get<std::string>());
    }
    return d.client().Post("/webhooks/shopify", h, fixture(name), "application/json");
}

// Posts any body signed with the test secret as a delivery of `topic`.
inline httplib::Result post_signed(const DaemonProcess& d, const std::string& topic, const std::string& body,
                                   const std::string& webhook_id, const std::string& secret = k_secret) {
    httplib::Headers h{{"X-Shopify-Shop-Domain", k_domain}, {"X-Shopify-Topic", topic},
                       {"X-Shopify-Hmac-Sha256", sign(secret, body)}, {"X-Shopify-Webhook-Id", webhook_id},
                       {"X-Shopify-API-Version", "2026-07"}};
    return d.client().Post("/webhooks/shopify", h, body, "application/json");
}

inline SQLite::Database open_db(const std::string& data) {
    return SQLite::Database(data + "/rewardd.db", SQLite::OPEN_READONLY);
}

inline std::int64_t query_int(const std::string& data, const std::string& sql) {
    auto db = open_db(data);
    return db.execAndGet(sql).getInt64();
}

// The ledger as (key, customer, pending, available) rows, for comparing two histories.
inline std::string ledger_fingerprint(const std::string& data) {
    auto db = open_db(data);
    SQLite::Statement q(db, "SELECT key, customer, pending_delta, available_delta FROM ledger ORDER BY key");
    std::string out;
    while (q.executeStep()) {
        out += q.getColumn(0).getString() + "|" + q.getColumn(1).getString() + "|" +
               std::to_string(q.getColumn(2).getInt64()) + "|" + std::to_string(q.getColumn(3).getInt64()) + "\n";
    }
    return out;
}

// Polls `ready` until it holds, for up to 20 s. Every caller waits for something that must happen,
// so a passing run never waits the limit; it is generous because CI runs the suite two tests at a
// time on two cores, where a daemon's outbox or applier can fall seconds behind a quiet machine.
inline bool eventually(const std::function<bool()>& ready) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
        if (ready()) return true;
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
}

// Waits until every stored event is applied to the ledger.
inline void wait_applied(const std::string& data) {
    REQUIRE(eventually([&] {
        return query_int(data, "SELECT (SELECT seq FROM apply_cursor) >= (SELECT COALESCE(MAX(seq), 0) FROM events)") == 1;
    }));
}

inline std::int64_t balance(const std::string& data, const std::string& customer) {
    return query_int(data, "SELECT COALESCE(SUM(pending_delta + available_delta), 0) FROM ledger WHERE customer = '" +
                               customer + "'");
}

}  // namespace rewardd::test::shopify
