// The Admin GraphQL client (INTEGRATION.md S1.2, S5): POST {query, variables} to the pinned
// version's graphql.json with X-Shopify-Access-Token. It paces itself by the cost-based leaky
// bucket Shopify reports in extensions.cost.throttleStatus (no request is sent while the bucket
// is known to be short of the call's cost), retries a THROTTLED answer after the refill, renews the
// token once on a 401, and hands 429/5xx/network trouble back as `retry` with Retry-After.
// Thread-safe; one instance serves every shop.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <mutex>

#include "adapters/shopify/access_tokens.hpp"

namespace rewardd::shopify {

// Shopify's last word on a shop's bucket, and when we heard it.
struct ThrottleState {
    std::int64_t maximum = 0;         // points
    std::int64_t available = 0;       // points, at `at_ms`
    std::int64_t restore_per_s = 0;   // points per second
    std::int64_t at_ms = 0;
    bool known = false;
};

// Milliseconds to wait before `cost` points are available; 0 when they are (or nothing is known).
std::int64_t throttle_wait_ms(const ThrottleState& state, std::int64_t cost, std::int64_t now_ms);
// Spends `cost` from the estimate at the moment the call will be sent (now + wait).
void reserve(ThrottleState& state, std::int64_t cost, std::int64_t now_ms, std::int64_t wait_ms);
// Reads extensions.cost.throttleStatus; false when the answer carries none.
bool read_throttle_status(const nlohmann::json& answer, std::int64_t now_ms, ThrottleState& state);

class GraphqlClient {
public:
    using MsClock = std::function<std::int64_t()>;
    using Sleeper = std::function<void(std::int64_t ms)>;

    GraphqlClient(HttpClient& http, AccessTokens& tokens, AdminOptions options, MsClock clock, Sleeper sleep);

    // Runs one query or mutation; on success `data` is the answer's "data" object.
    // `cost` is what the call is expected to cost (Shopify's requestedQueryCost), for pacing.
    CallOutcome call(const Shop& shop, const std::string& query, const nlohmann::json& variables,
                     nlohmann::json& data, std::int64_t cost = 10);

    const AdminOptions& options() const { return m_options; }

private:
    enum class Step { done, again };
    Step send_once(const Shop& shop, const std::string& body, std::int64_t& cost, bool may_renew,
                   nlohmann::json& data, CallOutcome& outcome);
    CallOutcome pace(const Shop& shop, std::int64_t cost);
    void remember(const Shop& shop, const nlohmann::json& answer);

    HttpClient& m_http;
    AccessTokens& m_tokens;
    AdminOptions m_options;
    MsClock m_clock;
    Sleeper m_sleep;
    std::mutex m_mutex;
    std::map<std::string, ThrottleState> m_throttle;  // by shop id
};

}  // namespace rewardd::shopify
