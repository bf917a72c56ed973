// Shopify orders updated since a moment, read from the REST Admin API: the REST representation of
// an order is exactly what order webhooks carry (INTEGRATION.md S2.3), so the webhook mapper reads
// these orders as they are. GET /admin/api/{version}/orders.json?status=any&limit=50&
// updated_at_min=..., then each page's Link header `rel="next"` (cursor pagination: a page_info
// address must carry no other filter, so it is followed as given). Paced by the REST bucket that
// X-Shopify-Shop-Api-Call-Limit reports (S5: 2 requests a second, 40 deep); 429, 5xx and network
// trouble come back as `retry` with Retry-After; a 401 renews a client-credentials token once.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/shopify/access_tokens.hpp"
#include "adapters/shopify/graphql_client.hpp"
#include "core/timestamp.hpp"

namespace rewardd::shopify {

struct OrderPage {
    std::vector<nlohmann::json> orders;  // non-integer numbers as their literal text (literal_json.hpp)
    std::string next_url;  // "" on the last page
};

// "used/bucket" of X-Shopify-Shop-Api-Call-Limit ("39/40").
struct CallLimit {
    std::int64_t used = 0;
    std::int64_t bucket = 0;
};

// The first page: every order (open, closed, cancelled) updated at or after `since`.
std::string orders_updated_since_url(const Shop& shop, const std::string& api_version, Timestamp since);
// The rel="next" address of a Link header ("<url>; rel=\"previous\", <url>; rel=\"next\""); "" if none.
std::string next_page_url(const std::string& link_header);
std::optional<CallLimit> parse_call_limit(const std::string& header);

class OrderLister {
public:
    OrderLister(HttpClient& http, AccessTokens& tokens, AdminOptions options, GraphqlClient::Sleeper sleep);

    // Reads one page at `url` (the first page's address or a page's next_url).
    CallOutcome page(const Shop& shop, const std::string& url, OrderPage& out);

private:
    CallOutcome send(const Shop& shop, const std::string& url, HttpResponse& response);
    void pace(const Shop& shop);

    HttpClient& m_http;
    AccessTokens& m_tokens;
    AdminOptions m_options;
    GraphqlClient::Sleeper m_sleep;
    std::mutex m_mutex;
    std::map<std::string, CallLimit> m_limits;  // Shopify's last word per shop id
};

}  // namespace rewardd::shopify
