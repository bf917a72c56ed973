// The client credentials grant: POST form fields to /admin/oauth/access_token and read
// {access_token, scope, expires_in}. Renewal starts at 90 % of the lifetime (at most 5 min early)
// so a delivery never starts with a token about to lapse.
#include "access_tokens.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace rewardd::shopify {
namespace {

constexpr std::int64_t k_renew_early_ms_max = 5 * 60 * 1000;

std::string form_body(const Shop& shop) {
    return "grant_type=client_credentials&client_id=" + url_encode(setting(shop, "client_id")) +
           "&client_secret=" + url_encode(setting(shop, "client_secret"));
}

}  // namespace

AccessTokens::AccessTokens(HttpClient& http, AdminOptions options, MsClock clock)
    : m_http(http), m_options(std::move(options)), m_clock(std::move(clock)) {}

bool AccessTokens::fresh(const AccessToken& token, std::int64_t now_ms) const {
    if (token.value.empty()) return false;
    if (token.expires_at_ms == 0) return true;
    return now_ms < token.expires_at_ms;
}

bool AccessTokens::cached(const Shop& shop, AccessToken& token) {
    std::lock_guard lock(m_mutex);
    const auto it = m_cache.find(shop.id);
    if (it == m_cache.end() || !fresh(it->second, m_clock())) return false;
    token = it->second;
    return true;
}

CallOutcome AccessTokens::get(const Shop& shop, AccessToken& token) {
    if (credential_kind(shop) == CredentialKind::static_token) {
        token = {setting(shop, "token"), "", 0};
        return CallOutcome::success();
    }
    if (cached(shop, token)) return CallOutcome::success();
    // One fetch at a time: the senders that missed the cache together (the outbox worker, the
    // subscription keeper and the metafield writer at start-up, or after a 401) wait for the first
    // one's token instead of each asking Shopify for another.
    std::lock_guard fetching(m_fetching);
    if (cached(shop, token)) return CallOutcome::success();
    return fetch(shop, token);
}

void AccessTokens::invalidate(const Shop& shop, const std::string& refused_value) {
    std::lock_guard lock(m_mutex);
    const auto it = m_cache.find(shop.id);
    if (it != m_cache.end() && it->second.value == refused_value) m_cache.erase(it);
}

CallOutcome AccessTokens::fetch(const Shop& shop, AccessToken& token) {
    switch (credential_kind(shop)) {
        case CredentialKind::static_token: return get(shop, token);
        case CredentialKind::none: return CallOutcome::auth_failed("shop has neither --client-id/--client-secret nor --token");
        case CredentialKind::client_credentials: break;
    }
    HttpRequest request;
    request.method = "POST";
    request.url = token_url(shop);
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
    request.body = form_body(shop);
    request.timeout_ms = m_options.timeout_ms;
    const std::int64_t asked_at = m_clock();
    const HttpResponse response = m_http.send(request);
    if (response.error != TransportError::none) {
        return CallOutcome::retry(std::string("token endpoint unreachable: ") + transport_error_id(response.error));
    }
    if (response.status == 429 || response.status >= 500) {
        return CallOutcome::retry("token endpoint answered " + std::to_string(response.status),
                                  parse_retry_after_ms(response.header("retry-after")));
    }
    if (response.status != 200) {
        return CallOutcome::auth_failed("token endpoint refused the client id/secret (HTTP " +
                                        std::to_string(response.status) + ")");
    }
    const auto doc = nlohmann::json::parse(response.body, nullptr, false);
    if (!doc.is_object() || !doc.contains("access_token") || !doc["access_token"].is_string()) {
        return CallOutcome::retry("token endpoint answer has no access_token");
    }
    AccessToken fresh_token;
    fresh_token.value = doc["access_token"].get<std::string>();
    fresh_token.scope = doc.value("scope", "");
    const std::int64_t lifetime_ms = doc.contains("expires_in") && doc["expires_in"].is_number_integer()
                                         ? doc["expires_in"].get<std::int64_t>() * 1000
                                         : 24LL * 3600 * 1000;  // S1.1: about a day
    const std::int64_t early_ms = std::min(k_renew_early_ms_max, lifetime_ms / 10);
    fresh_token.expires_at_ms = asked_at + lifetime_ms - early_ms;
    {
        std::lock_guard lock(m_mutex);
        m_cache[shop.id] = fresh_token;
    }
    token = fresh_token;
    return CallOutcome::success();
}

}  // namespace rewardd::shopify
