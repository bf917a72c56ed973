// The door of every /api/v1 route but events: a bearer token that is known and not revoked
// (401 unauthorized), the token's request budget (429 rate_limited with Retry-After), and a scope
// large enough for the route (403 forbidden). Tokens are looked up by SHA-256 on every request,
// so a revocation holds from the next request on.
#pragma once

#include <httplib.h>

#include <optional>

#include "http/api_database.hpp"
#include "http/api_rate_limiter.hpp"
#include "store/token_store.hpp"

namespace rewardd {

class ApiGate {
public:
    ApiGate(ApiDatabase& db, ApiRateLimiter& limiter) : m_db(db), m_limiter(limiter) {}

    // The caller's token when the request may go on; otherwise the error is already in `res`.
    std::optional<ApiToken> admit(const httplib::Request& req, httplib::Response& res, TokenScope needed);

private:
    ApiDatabase& m_db;
    ApiRateLimiter& m_limiter;
};

}  // namespace rewardd
