// Ids for call statuses and the Retry-After parser.
#include "call_outcome.hpp"

#include <charconv>

namespace rewardd::shopify {

const char* call_status_id(CallStatus status) {
    switch (status) {
        case CallStatus::ok: return "ok";
        case CallStatus::retry: return "retry";
        case CallStatus::auth_failed: return "auth_failed";
        case CallStatus::failed: return "failed";
    }
    return "failed";
}

std::optional<std::int64_t> parse_retry_after_ms(const std::string& header) {
    // Seconds, possibly fractional ("2.0"): whole seconds and up to three decimals, no float.
    if (header.empty()) return std::nullopt;
    std::int64_t seconds = 0;
    const char* end = header.data() + header.size();
    auto [p, ec] = std::from_chars(header.data(), end, seconds);
    if (ec != std::errc() || seconds < 0) return std::nullopt;
    std::int64_t ms = seconds * 1000;
    if (p != end && *p == '.') {
        std::int64_t scale = 100;
        for (++p; p != end && *p >= '0' && *p <= '9' && scale > 0; ++p, scale /= 10) ms += (*p - '0') * scale;
    }
    return ms;
}

}  // namespace rewardd::shopify
