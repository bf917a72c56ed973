// Reading a shop's orders page by page over REST: addresses, the Link header, the call limit.
#include "order_listing.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <iterator>
#include <utility>

#include "adapters/shopify/literal_json.hpp"

namespace rewardd::shopify {
namespace {

// REST pages hold up to 250 orders, but an order with many lines is tens of kilobytes, and a page
// is one answer in memory (and under the transport's 4 MiB answer limit): 50 keeps it small.
constexpr int k_page_size = 50;
constexpr std::int64_t k_bucket_wait_ms = 1000;  // the bucket leaks two requests a second

std::optional<std::int64_t> read_count(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

}  // namespace

std::string orders_updated_since_url(const Shop& shop, const std::string& api_version, Timestamp since) {
    return admin_base_url(shop) + "/admin/api/" + api_version + "/orders.json?status=any&limit=" +
           std::to_string(k_page_size) + "&updated_at_min=" + url_encode(format_timestamp(since));
}

std::string next_page_url(const std::string& link_header) {
    // Entries are "<address>; rel=\"...\"", comma-separated; an address holds no '<' or '>'.
    for (std::size_t open = link_header.find('<'); open != std::string::npos;) {
        const std::size_t close = link_header.find('>', open);
        if (close == std::string::npos) return "";
        const std::size_t next_open = link_header.find('<', close);
        const std::string params = link_header.substr(close + 1, next_open == std::string::npos
                                                                      ? std::string::npos
                                                                      : next_open - close - 1);
        if (params.find("rel=\"next\"") != std::string::npos) return link_header.substr(open + 1, close - open - 1);
        open = next_open;
    }
    return "";
}

std::optional<CallLimit> parse_call_limit(const std::string& header) {
    const std::size_t slash = header.find('/');
    if (slash == std::string::npos) return std::nullopt;
    const auto used = read_count(std::string_view(header).substr(0, slash));
    const auto bucket = read_count(std::string_view(header).substr(slash + 1));
    if (!used || !bucket || *bucket == 0) return std::nullopt;
    return CallLimit{*used, *bucket};
}

OrderLister::OrderLister(HttpClient& http, AccessTokens& tokens, AdminOptions options, GraphqlClient::Sleeper sleep)
    : m_http(http), m_tokens(tokens), m_options(std::move(options)), m_sleep(std::move(sleep)) {}

CallOutcome OrderLister::page(const Shop& shop, const std::string& url, OrderPage& out) {
    HttpResponse response;
    if (auto sent = send(shop, url, response); !sent.ok()) return sent;
    // Money numbers (refund_line_items[].subtotal) stay their literal text, as in a webhook body.
    auto parsed = parse_literal_json(response.body);
    if (!parsed) return CallOutcome::failed("orders page is not JSON: " + parsed.error().message);
    auto& answer = *parsed;
    if (!answer.is_object() || !answer.contains("orders") || !answer["orders"].is_array()) {
        return CallOutcome::failed("orders page without an \"orders\" array");
    }
    auto& orders = answer["orders"].get_ref<nlohmann::json::array_t&>();
    out.orders.assign(std::make_move_iterator(orders.begin()), std::make_move_iterator(orders.end()));
    out.next_url = next_page_url(response.header("link"));
    return CallOutcome::success();
}

// A full bucket refuses the next request with 429, so we wait for it to leak first.
void OrderLister::pace(const Shop& shop) {
    {
        std::lock_guard lock(m_mutex);
        auto& limit = m_limits[shop.id];
        if (limit.bucket == 0 || limit.used < limit.bucket - 1) return;
        limit.used = std::max<std::int64_t>(0, limit.used - 2);
    }
    spdlog::debug("shopify: REST bucket full shop={}, waiting {} ms", shop.id, k_bucket_wait_ms);
    m_sleep(k_bucket_wait_ms);
}

CallOutcome OrderLister::send(const Shop& shop, const std::string& url, HttpResponse& response) {
    bool may_renew = credential_kind(shop) == CredentialKind::client_credentials;
    for (;;) {
        pace(shop);
        AccessToken token;
        if (auto got = m_tokens.get(shop, token); !got.ok()) return got;
        HttpRequest request;
        request.url = url;
        request.headers = {{"Accept", "application/json"}, {"X-Shopify-Access-Token", token.value}};
        request.timeout_ms = m_options.timeout_ms;
        response = m_http.send(request);
        if (response.error != TransportError::none) {
            return CallOutcome::retry(std::string("Admin API unreachable: ") + transport_error_id(response.error));
        }
        if (const auto limit = parse_call_limit(response.header("x-shopify-shop-api-call-limit"))) {
            std::lock_guard lock(m_mutex);
            m_limits[shop.id] = *limit;
        }
        if (response.status == 401) {
            m_tokens.invalidate(shop, token.value);
            if (std::exchange(may_renew, false)) continue;  // one renewal; a second 401 is real
            return CallOutcome::auth_failed("Admin API refused the access token (401)");
        }
        if (response.status == 429 || response.status >= 500) {
            return CallOutcome::retry("Admin API answered " + std::to_string(response.status),
                                      parse_retry_after_ms(response.header("retry-after")));
        }
        if (response.status == 403) return CallOutcome::failed("Admin API forbids listing orders (403): read_orders?");
        if (response.status != 200) return CallOutcome::failed("Admin API answered " + std::to_string(response.status));
        return CallOutcome::success();
    }
}

}  // namespace rewardd::shopify
