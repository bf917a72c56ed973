// Request building: URL, auth and headers. The OAuth base URL is the endpoint without its query,
// as WooCommerce rebuilds it from home_url() and the request path.
#include "woocommerce_rest.hpp"

#include "net/signature.hpp"

namespace rewardd {
namespace {

std::string setting(const Shop& shop, const char* key) {
    const auto it = shop.settings.find(key);
    return it == shop.settings.end() ? "" : it->second;
}

bool is_https(const std::string& url) { return url.rfind("https://", 0) == 0; }

}  // namespace

std::optional<WooCommerceSite> woocommerce_site(const Shop& shop) {
    WooCommerceSite site{setting(shop, "url"), setting(shop, "consumer_key"), setting(shop, "consumer_secret")};
    while (!site.url.empty() && site.url.back() == '/') site.url.pop_back();
    if (site.url.empty() || site.consumer_key.empty() || site.consumer_secret.empty()) return std::nullopt;
    return site;
}

WooCommerceRest::WooCommerceRest(std::shared_ptr<HttpClient> http, std::int64_t timeout_ms, Clock clock)
    : m_http(std::move(http)), m_timeout_ms(timeout_ms), m_clock(std::move(clock)) {}

HttpRequest WooCommerceRest::build(const std::string& method, const WooCommerceSite& site, const std::string& path,
                                   QueryParams query) const {
    HttpRequest request;
    request.method = method;
    request.timeout_ms = m_timeout_ms;
    request.headers.emplace_back("Accept", "application/json");
    const std::string endpoint = site.url + "/wp-json/wc/v3/" + path;
    if (is_https(site.url)) {
        request.basic_auth = std::make_pair(site.consumer_key, site.consumer_secret);
    } else {
        query = oauth1_signed_query(method, endpoint, std::move(query), site.consumer_key, site.consumer_secret,
                                    m_clock(), random_token(32));
    }
    request.url = query.empty() ? endpoint : endpoint + "?" + encode_query(query);
    return request;
}

HttpResponse WooCommerceRest::get(const WooCommerceSite& site, const std::string& path, QueryParams query) {
    return m_http->send(build("GET", site, path, std::move(query)));
}

HttpResponse WooCommerceRest::post_json(const WooCommerceSite& site, const std::string& path, const std::string& body) {
    HttpRequest request = build("POST", site, path, {});
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    return m_http->send(request);
}

}  // namespace rewardd
