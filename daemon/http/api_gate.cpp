// Bearer authentication, rate limit, scope.
#include "api_gate.hpp"

#include <spdlog/spdlog.h>

#include "http/api_request.hpp"
#include "net/signature.hpp"

namespace rewardd {
namespace {

constexpr std::size_t k_token_chars_max = 256;

// The token of "Authorization: Bearer <token>" (scheme case-insensitive), or "".
std::string bearer_token(const httplib::Request& req) {
    const std::string header = req.get_header_value("Authorization");
    constexpr std::string_view scheme = "bearer ";
    if (header.size() <= scheme.size() || header.size() > scheme.size() + k_token_chars_max) return {};
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i]) return {};
    }
    const auto start = header.find_first_not_of(' ', scheme.size());
    return start == std::string::npos ? std::string{} : header.substr(start);
}

}  // namespace

std::optional<ApiToken> ApiGate::admit(const httplib::Request& req, httplib::Response& res, TokenScope needed) {
    const std::string token = bearer_token(req);
    if (token.empty()) {
        res.set_header("WWW-Authenticate", "Bearer");
        send_api_error(res, make_error(ErrorCode::unauthorized, "send Authorization: Bearer <token> (rewardd token create)"));
        return std::nullopt;
    }
    const std::string hash = sha256_hex(token);
    auto found = m_db.with([&hash](auto& db) { return TokenStore(db).find_valid(hash); });
    if (!found) {
        send_api_error(res, found.error());
        return std::nullopt;
    }
    if (!found->has_value()) {
        res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        send_api_error(res, make_error(ErrorCode::unauthorized, "the token is unknown or revoked"));
        return std::nullopt;
    }
    const ApiToken& who = **found;
    if (const auto wait_ms = m_limiter.acquire(who.id); wait_ms > 0) {
        spdlog::warn("api: rate limited token={} path={}", who.id, req.path);
        res.set_header("Retry-After", std::to_string((wait_ms + 999) / 1000));
        send_api_error(res, make_error(ErrorCode::rate_limited,
                                       "over api_requests_per_minute_max for this token; retry later"));
        return std::nullopt;
    }
    if (!scope_allows(who.scope, needed)) {
        send_api_error(res, make_error(ErrorCode::forbidden, std::string("this route needs a ") +
                                                                 token_scope_id(needed) + " token"));
        return std::nullopt;
    }
    return who;
}

}  // namespace rewardd
