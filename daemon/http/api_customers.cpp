// Customer reads: the shared view (daemon/views) under the API's connection, then the extras.
#include "api_customers.hpp"

#include <algorithm>

#include "core/customer_key.hpp"
#include "core/money.hpp"
#include "core/referral_code.hpp"
#include "http/api_customer_worth.hpp"
#include "http/api_request.hpp"
#include "http/json_response.hpp"
#include "store/sqlite_store.hpp"
#include "views/customer_view.hpp"

namespace rewardd {
namespace {

constexpr std::int64_t k_history_default = 20;
constexpr std::int64_t k_history_max = 1000;

// ?currency=XXX: the shop's currency, so the worth is shown in it; must be one rewardd knows.
Result<std::string> asked_currency(const httplib::Request& req) {
    auto text = query_text(req, "currency");
    if (!text) return std::string{};
    std::string code = *text;
    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::toupper(c); });
    if (!currency_exponent(code)) {
        return make_error(ErrorCode::unknown_currency, "currency: not an ISO 4217 code rewardd knows", "currency");
    }
    return code;
}

nlohmann::json optional_json(const auto& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

void handle_api_customer(ApiContext& api, const httplib::Request& req, httplib::Response& res) {
    auto email = path_email(req, 1);
    if (!email) return send_api_error(res, email.error());
    auto history = query_integer(req, "history", 0, k_history_max, k_history_default);
    if (!history) return send_api_error(res, history.error());
    auto currency = asked_currency(req);
    if (!currency) return send_api_error(res, currency.error());
    auto view = api.db.with([&email](auto& db) {
        SqliteStore store(db);
        return load_customer_view(store, *email);
    });
    if (!view) return send_api_error(res, view.error());
    const Timestamp now = api.clock();
    const auto worth = customer_worth(api.engine->rules().at(now), view->entries, view->balance.available,
                                      *currency, now);
    auto doc = customer_show_json(*view, static_cast<std::size_t>(*history));
    add_expiring_json(doc, api.engine->rules(), *view, now);
    doc["tier"] = worth.tier;
    doc["points_value_minor"] = optional_json(worth.points_value_minor);
    doc["currency"] = optional_json(worth.currency);
    doc["next_tier"] = worth.next_tier ? nlohmann::json{{"name", worth.next_tier->name},
                                                        {"spend_needed_minor",
                                                         optional_json(worth.next_tier->spend_needed_minor)}}
                                       : nlohmann::json(nullptr);
    send_json(res, 200, doc);
}

void handle_api_referral(ApiContext& api, const httplib::Request& req, httplib::Response& res) {
    auto email = path_email(req, 1);
    if (!email) return send_api_error(res, email.error());
    const auto shop = query_text(req, "shop");
    if (!shop) return send_api_error(res, make_error(ErrorCode::missing_field, "shop: is required", "shop"));
    if (!api.shops.find(*shop)) return send_api_error(res, make_error(ErrorCode::unknown_shop, "no shop " + *shop));
    send_json(res, 200, {{"code", referral_code(*shop, customer_key(*shop, CustomerRef{"", *email}))}, {"shop", *shop}});
}

}  // namespace rewardd
