// One GraphQL call = pace, send, classify. At most three sends per call (a renewed token and a
// THROTTLED answer may each cost one); anything still failing goes back to the outbox's backoff.
#include "graphql_client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace rewardd::shopify {
namespace {

constexpr int k_sends_per_call_max = 3;

// Whether a top-level error of the answer carries `code` (errors[].extensions.code).
bool has_error_code(const nlohmann::json& answer, const char* code) {
    if (!answer.contains("errors") || !answer["errors"].is_array()) return false;
    for (const auto& e : answer["errors"]) {
        if (!e.is_object()) continue;
        const auto ext = e.find("extensions");
        if (ext == e.end() || !ext->is_object()) continue;
        const auto c = ext->find("code");
        if (c != ext->end() && c->is_string() && c->get<std::string>() == code) return true;
    }
    return false;
}

bool throttled(const nlohmann::json& answer) { return has_error_code(answer, "THROTTLED"); }

std::string first_error_message(const nlohmann::json& errors) {
    if (errors.is_string()) return errors.get<std::string>();
    if (errors.is_array() && !errors.empty() && errors[0].is_object()) return errors[0].value("message", "error");
    return "GraphQL error";
}

std::int64_t as_points(const nlohmann::json& v) {
    return v.is_number() ? v.get<std::int64_t>() : 0;  // 2000.0 -> 2000; fractions do not matter
}

}  // namespace

std::int64_t throttle_wait_ms(const ThrottleState& s, std::int64_t cost, std::int64_t now_ms) {
    if (!s.known || s.restore_per_s <= 0) return 0;
    // A reservation may have moved the estimate's reference time into the future.
    const std::int64_t from_ms = std::max(now_ms, s.at_ms);
    const std::int64_t refilled = s.available + s.restore_per_s * (from_ms - s.at_ms) / 1000;
    const std::int64_t available = s.maximum > 0 ? std::min(s.maximum, refilled) : refilled;
    const std::int64_t needed = s.maximum > 0 ? std::min(cost, s.maximum) : cost;
    const std::int64_t ahead_ms = from_ms - now_ms;
    if (available >= needed) return ahead_ms;
    return ahead_ms + ((needed - available) * 1000 + s.restore_per_s - 1) / s.restore_per_s;
}

void reserve(ThrottleState& s, std::int64_t cost, std::int64_t now_ms, std::int64_t wait_ms) {
    if (!s.known) return;
    // The points this call will spend are taken from our estimate now, so another thread pacing
    // against the same shop waits for its own share instead of sending into an empty bucket.
    const std::int64_t send_at_ms = now_ms + wait_ms;
    const std::int64_t elapsed_ms = std::max<std::int64_t>(0, send_at_ms - s.at_ms);
    std::int64_t available = s.available + s.restore_per_s * elapsed_ms / 1000;
    if (s.maximum > 0) available = std::min(s.maximum, available);
    s.available = std::max<std::int64_t>(0, available - cost);
    s.at_ms = std::max(s.at_ms, send_at_ms);
}

bool read_throttle_status(const nlohmann::json& answer, std::int64_t now_ms, ThrottleState& state) {
    const auto cost = answer.find("extensions");
    if (cost == answer.end() || !cost->is_object() || !cost->contains("cost")) return false;
    const auto& status = (*cost)["cost"].value("throttleStatus", nlohmann::json::object());
    if (!status.is_object() || !status.contains("currentlyAvailable")) return false;
    state.maximum = as_points(status.value("maximumAvailable", nlohmann::json(0)));
    state.available = as_points(status["currentlyAvailable"]);
    state.restore_per_s = as_points(status.value("restoreRate", nlohmann::json(0)));
    state.at_ms = now_ms;
    state.known = true;
    return true;
}

GraphqlClient::GraphqlClient(HttpClient& http, AccessTokens& tokens, AdminOptions options, MsClock clock,
                             Sleeper sleep)
    : m_http(http), m_tokens(tokens), m_options(std::move(options)), m_clock(std::move(clock)),
      m_sleep(std::move(sleep)) {}

CallOutcome GraphqlClient::pace(const Shop& shop, std::int64_t cost) {
    std::int64_t wait_ms = 0;
    {
        std::lock_guard lock(m_mutex);
        auto& state = m_throttle[shop.id];
        const std::int64_t now_ms = m_clock();
        wait_ms = throttle_wait_ms(state, cost, now_ms);
        if (wait_ms > m_options.throttle_wait_ms_max) {
            return CallOutcome::retry("throttled: bucket refills in " + std::to_string(wait_ms) + " ms", wait_ms);
        }
        reserve(state, cost, now_ms, wait_ms);
    }
    if (wait_ms > 0) {
        spdlog::debug("shopify: pacing shop={} wait_ms={} cost={}", shop.id, wait_ms, cost);
        m_sleep(wait_ms);
    }
    return CallOutcome::success();
}

void GraphqlClient::remember(const Shop& shop, const nlohmann::json& answer) {
    ThrottleState state;
    if (!read_throttle_status(answer, m_clock(), state)) return;
    std::lock_guard lock(m_mutex);
    m_throttle[shop.id] = state;
}

CallOutcome GraphqlClient::call(const Shop& shop, const std::string& query, const nlohmann::json& variables,
                                nlohmann::json& data, std::int64_t cost) {
    const std::string body = nlohmann::json{{"query", query}, {"variables", variables}}.dump();
    CallOutcome outcome = CallOutcome::retry("no attempt made");
    bool may_renew = credential_kind(shop) == CredentialKind::client_credentials;
    for (int send = 0; send < k_sends_per_call_max; ++send) {
        if (auto paced = pace(shop, cost); !paced.ok()) return paced;
        if (send_once(shop, body, cost, may_renew, data, outcome) == Step::done) return outcome;
        may_renew = false;  // one renewal per call is enough; a second 401 is real
    }
    return outcome;
}

GraphqlClient::Step GraphqlClient::send_once(const Shop& shop, const std::string& body, std::int64_t& cost,
                                             bool may_renew, nlohmann::json& data, CallOutcome& outcome) {
    AccessToken token;
    if (outcome = m_tokens.get(shop, token); !outcome.ok()) return Step::done;
    HttpRequest request;
    request.method = "POST";
    request.url = graphql_url(shop, m_options.api_version);
    request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"},
                       {"X-Shopify-Access-Token", token.value}};
    request.body = body;
    request.timeout_ms = m_options.timeout_ms;
    const HttpResponse response = m_http.send(request);
    if (response.error != TransportError::none) {
        outcome = CallOutcome::retry(std::string("Admin API unreachable: ") + transport_error_id(response.error));
        return Step::done;
    }
    if (const auto why = response.header("x-shopify-api-deprecated-reason"); !why.empty()) {
        spdlog::warn("shopify: API version {} deprecated shop={} reason={}", m_options.api_version, shop.id,
                     why.substr(0, 200));
    }
    if (response.status == 401) {
        m_tokens.invalidate(shop, token.value);
        outcome = CallOutcome::auth_failed("Admin API refused the access token (401)");
        return may_renew ? Step::again : Step::done;
    }
    const auto answer = nlohmann::json::parse(response.body, nullptr, false);
    if (answer.is_object()) remember(shop, answer);
    if (response.status == 429 || response.status >= 500 || (answer.is_object() && throttled(answer))) {
        const bool bucket_empty = answer.is_object() && throttled(answer);
        if (bucket_empty) {
            cost = std::max(cost, as_points(answer["extensions"]["cost"].value("requestedQueryCost", nlohmann::json(0))));
        }
        outcome = CallOutcome::retry(bucket_empty ? "throttled" : "Admin API answered " + std::to_string(response.status),
                                     parse_retry_after_ms(response.header("retry-after")));
        return bucket_empty ? Step::again : Step::done;
    }
    if (response.status == 403) {
        outcome = CallOutcome::failed("Admin API forbids this call (403): is a scope missing?");
        return Step::done;
    }
    if (response.status != 200 || !answer.is_object()) {
        outcome = CallOutcome::failed("Admin API answered " + std::to_string(response.status) +
                                      (answer.is_object() ? "" : " without JSON"));
        return Step::done;
    }
    // Shopify's own failure, answered 200: the call may or may not have taken effect, so it goes
    // back to the outbox, whose retry looks for the earlier reward before making it again.
    if (has_error_code(answer, "INTERNAL_SERVER_ERROR")) {
        outcome = CallOutcome::retry("GraphQL INTERNAL_SERVER_ERROR: " +
                                     first_error_message(answer["errors"]).substr(0, 300));
        return Step::done;
    }
    if (answer.contains("errors") && !answer["errors"].empty()) {
        outcome = CallOutcome::failed("GraphQL error: " + first_error_message(answer["errors"]).substr(0, 300));
        return Step::done;
    }
    data = answer.value("data", nlohmann::json::object());
    outcome = CallOutcome::success();
    return Step::done;
}

}  // namespace rewardd::shopify
