// Route table for /api/v1.
#include "api_routes.hpp"

#include <sqlite3.h>

#include "http/api_customers.hpp"
#include "http/api_quote.hpp"
#include "http/api_redeem.hpp"
#include "http/api_shops.hpp"
#include "http/api_status.hpp"

namespace rewardd {

ApiRoutes::ApiRoutes(std::shared_ptr<SQLite::Database> db, ShopDirectory& shops,
                     std::shared_ptr<const RewardEngine> engine, std::function<Timestamp()> clock, ApiOptions options)
    : m_db(std::move(db)),
      m_limiter(options.requests_per_minute_max),
      m_gate(m_db, m_limiter),
      m_context{m_db, shops, std::move(engine), std::move(clock), options.version} {}

httplib::Server::Handler ApiRoutes::gated(TokenScope needed, Handler handler) {
    return [this, needed, handler](const httplib::Request& req, httplib::Response& res) {
        if (m_gate.admit(req, res, needed)) handler(m_context, req, res);
    };
}

void ApiRoutes::install(HttpServer& server) {
    constexpr auto storefront = TokenScope::storefront;
    constexpr auto admin = TokenScope::admin;
    server.add_get_route("/api/v1/status", gated(storefront, handle_api_status));
    server.add_post_route("/api/v1/shops", gated(admin, handle_api_shop_save));
    server.add_delete_route(R"(/api/v1/shops/([^/]+))", gated(admin, handle_api_shop_remove));
    server.add_get_route(R"(/api/v1/customers/([^/]+)/referral)", gated(storefront, handle_api_referral));
    server.add_get_route(R"(/api/v1/customers/([^/]+))", gated(storefront, handle_api_customer));
    server.add_post_route("/api/v1/quote", gated(storefront, handle_api_quote));
    server.add_post_route("/api/v1/redeem", gated(storefront, handle_api_redeem));
}

void ApiRoutes::release_idle_memory() {
    m_db.with([](const std::shared_ptr<SQLite::Database>& db) { return sqlite3_db_release_memory(db->getHandle()); });
}

}  // namespace rewardd
