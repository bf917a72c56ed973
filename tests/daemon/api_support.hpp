// Helpers for the /api/v1 end-to-end tests: tokens made with the real `rewardd token create`,
// bearer requests, shops and signed neutral events.
#pragma once

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "support/daemon_process.hpp"
#include "support/recent_dates.hpp"

namespace rewardd::test {

inline const std::string k_api_secret = "demo-secret-0123456789";

// Runs `token create` and returns the token: the last line of its output.
inline std::string create_token(const std::string& data, const std::string& scope) {
    const auto r = run_rewardd({"token", "create", "--scope", scope, "--name", "test " + scope, "--data", data});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto out = r.out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out.substr(out.rfind('\n') + 1);
}

inline httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

inline nlohmann::json body_of(const httplib::Result& res) {
    REQUIRE(res);
    return nlohmann::json::parse(res->body);
}

inline void add_custom_shop(const std::string& data, const std::string& id) {
    const auto r = run_rewardd({"shop", "add", id, "--platform", "custom", "--secret", k_api_secret, "--data", data});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

inline std::string paid_event(const std::string& id, const std::string& order, std::int64_t total) {
    return as_recent(nlohmann::json{{"id", id}, {"type", "order.paid"}, {"occurred_at", "2026-11-22T10:00:00Z"},
                          {"order", {{"id", order}, {"currency", "NOK"},
                                     {"customer", {{"id", "77"}, {"email", "kari@example.com"}}},
                                     {"lines", {{{"id", "l1"}, {"product_id", "p1"}, {"quantity", 1}, {"total", total}}}},
                                     {"discount", 0}, {"tax", 0}, {"shipping", 0}, {"total", total}}}}
        .dump());  // paid yesterday: still pending by the real clock
}

inline httplib::Result post_signed_event(const DaemonProcess& d, const std::string& shop, const std::string& secret,
                                         const std::string& body) {
    httplib::Headers h{{"X-Rewardd-Shop", shop}, {"X-Rewardd-Signature", sign(secret, body)}};
    return d.client().Post("/api/v1/events", h, body, "application/json");
}

// Polls `read` until `ready` holds (the ledger is applied a moment after the 200); bounded.
inline nlohmann::json poll_until(const std::function<nlohmann::json()>& read,
                                 const std::function<bool(const nlohmann::json&)>& ready) {
    nlohmann::json last;
    for (int i = 0; i < 100; ++i) {
        last = read();
        if (ready(last)) return last;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return last;
}

}  // namespace rewardd::test
