// How one call to Shopify went, in the terms the callers act on: done, try again later (network,
// 5xx, 429, throttled; with the wait Shopify asked for), or a permanent refusal that retrying
// cannot fix (bad credentials, uninstalled app, a GraphQL error in our own query).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rewardd::shopify {

enum class CallStatus { ok, retry, auth_failed, failed };
const char* call_status_id(CallStatus status);

struct CallOutcome {
    CallStatus status = CallStatus::ok;
    std::string detail;                          // why, for logs and `shop check`; never a token
    std::optional<std::int64_t> retry_after_ms;  // Retry-After or the throttle's own estimate

    bool ok() const { return status == CallStatus::ok; }
    static CallOutcome success() { return {}; }
    static CallOutcome retry(std::string why, std::optional<std::int64_t> after_ms = {}) {
        return {CallStatus::retry, std::move(why), after_ms};
    }
    static CallOutcome auth_failed(std::string why) { return {CallStatus::auth_failed, std::move(why), {}}; }
    static CallOutcome failed(std::string why) { return {CallStatus::failed, std::move(why), {}}; }
};

// Retry-After in seconds (may be fractional) -> milliseconds; nullopt when absent or unparsable.
std::optional<std::int64_t> parse_retry_after_ms(const std::string& header);

}  // namespace rewardd::shopify
