// Admin API access tokens per shop (INTEGRATION.md S1.1). A Dev Dashboard app's token comes from
// the client credentials grant, lasts about a day, and is renewed shortly before it expires or at
// once after a 401; a legacy custom app's static token (`--token`) is used as it is. Tokens live
// in memory only and are never logged. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "adapters/shopify/admin_endpoint.hpp"
#include "adapters/shopify/call_outcome.hpp"
#include "net/http_client.hpp"

namespace rewardd::shopify {

struct AccessToken {
    std::string value;
    std::string scope;                // comma-separated, as the token endpoint says
    std::int64_t expires_at_ms = 0;   // 0: does not expire (static token)
};

class AccessTokens {
public:
    using MsClock = std::function<std::int64_t()>;
    AccessTokens(HttpClient& http, AdminOptions options, MsClock clock);

    // A token that is still good for a while: the cached one, or a fresh one from Shopify.
    CallOutcome get(const Shop& shop, AccessToken& token);
    // Forgets the cached token after Shopify refused it (401), so the next get() fetches anew.
    // Only when the cache still holds the refused value: two senders refused together must not
    // make the second throw away the token the first one just fetched (a newer token may end the
    // older one's life, so a needless fetch can cost a delivery in flight a 401).
    void invalidate(const Shop& shop, const std::string& refused_value);
    // Asks the token endpoint now, bypassing the cache (shop add / shop check).
    CallOutcome fetch(const Shop& shop, AccessToken& token);

private:
    bool fresh(const AccessToken& token, std::int64_t now_ms) const;
    bool cached(const Shop& shop, AccessToken& token);  // a fresh cached token into `token`

    HttpClient& m_http;
    AdminOptions m_options;
    MsClock m_clock;
    std::mutex m_mutex;
    std::mutex m_fetching;  // held by get() while it fetches (never by m_mutex's holders)
    std::map<std::string, AccessToken> m_cache;  // by shop id
    std::map<std::string, std::int64_t> m_issued_at_ms;
};

}  // namespace rewardd::shopify
