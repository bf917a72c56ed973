// The /api/v1 routes of docs/API.md (besides POST /api/v1/events): their table of method, path
// and scope, each behind the ApiGate. Built by `serve` and installed on its HttpServer.
#pragma once

#include <memory>

#include "http/api_context.hpp"
#include "http/api_gate.hpp"
#include "http/http_server.hpp"

namespace rewardd {

struct ApiOptions {
    std::int64_t requests_per_minute_max = 600;
    std::string version;
};

class ApiRoutes {
public:
    // `db` is a connection of the API's own; `shops` is the intake's cache.
    ApiRoutes(std::shared_ptr<SQLite::Database> db, ShopDirectory& shops, std::shared_ptr<const RewardEngine> engine,
              std::function<Timestamp()> clock, ApiOptions options);

    void install(HttpServer& server);
    // Gives back the pages the routes' connection cached (made on whichever HTTP workers served
    // the requests); the daemon calls it once the writer has gone idle.
    void release_idle_memory();

private:
    using Handler = void (*)(ApiContext&, const httplib::Request&, httplib::Response&);
    httplib::Server::Handler gated(TokenScope needed, Handler handler);

    ApiDatabase m_db;
    ApiRateLimiter m_limiter;
    ApiGate m_gate;
    ApiContext m_context;
};

}  // namespace rewardd
