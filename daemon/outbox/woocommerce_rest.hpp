// Calls to a shop's WooCommerce REST API (/wp-json/wc/v3/, INTEGRATION.md W3.1): consumer key and
// secret as HTTP Basic over https, OAuth 1.0a one-legged query signing over plain http (where
// WooCommerce refuses Basic). Every call has a timeout; TLS is verified by the HttpClient.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/timestamp.hpp"
#include "net/http_client.hpp"
#include "net/oauth1.hpp"
#include "store/shop_registry.hpp"

namespace rewardd {

struct WooCommerceSite {
    std::string url;  // the store's home URL, e.g. https://shop.example (no /wp-json)
    std::string consumer_key;
    std::string consumer_secret;
};

// The shop's `url`, `consumer_key` and `consumer_secret` settings; nullopt when one is missing.
std::optional<WooCommerceSite> woocommerce_site(const Shop& shop);

class WooCommerceRest {
public:
    using Clock = std::function<Timestamp()>;

    WooCommerceRest(std::shared_ptr<HttpClient> http, std::int64_t timeout_ms, Clock clock);

    // `path` is relative to /wp-json/wc/v3/ ("coupons"); `query` decoded.
    HttpResponse get(const WooCommerceSite& site, const std::string& path, QueryParams query = {});
    HttpResponse post_json(const WooCommerceSite& site, const std::string& path, const std::string& body);

    // The request as it would be sent (auth included), for tests and logs.
    HttpRequest build(const std::string& method, const WooCommerceSite& site, const std::string& path,
                      QueryParams query) const;

private:
    std::shared_ptr<HttpClient> m_http;
    std::int64_t m_timeout_ms;
    Clock m_clock;
};

}  // namespace rewardd
