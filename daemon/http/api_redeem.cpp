// Redeem: request JSON -> RedeemRequest -> redeem(), then the outbox row for the coupon's status.
#include "api_redeem.hpp"

#include "core/timestamp.hpp"
#include "http/api_request.hpp"
#include "http/json_response.hpp"
#include "outbox/outbox_store.hpp"
#include "rewards/redeem_service.hpp"

namespace rewardd {
namespace {

constexpr std::int64_t k_points_max = 1'000'000'000'000'000;  // 10^15: points * 10^exponent stays in int64
constexpr std::int64_t k_amount_max = 1'000'000'000'000'000'000;  // 10^18 minor units, as events
constexpr std::int64_t k_expiry_days_max = 3650;

Result<RedeemRequest> read_redeem(const nlohmann::json& body, Timestamp now) {
    RedeemRequest r;
    auto shop = json_text(body, "shop", "shop", true, 64);
    if (!shop) return shop.error();
    r.shop_id = *shop;
    auto email = json_text(body, "customer_email", "customer_email", true, 254);
    if (!email) return email.error();
    r.customer_email = *email;
    auto points = json_integer(body, "points", "points", true, 1, k_points_max);
    if (!points) return points.error();
    r.points = *points;
    auto id = json_text(body, "redemption_id", "redemption_id", true, 100);
    if (!id) return id.error();
    r.redemption_id = *id;
    auto currency = json_text(body, "currency", "currency", false, 3);
    if (!currency) return currency.error();
    r.currency = *currency;
    if (body.contains("cart_total") && !body["cart_total"].is_null()) {
        auto cart = json_integer(body, "cart_total", "cart_total", true, 0, k_amount_max);
        if (!cart) return cart.error();
        r.cart_total_minor = *cart;
    }
    auto days = json_integer(body, "expires_in_days", "expires_in_days", false, 0, k_expiry_days_max, 0);
    if (!days) return days.error();
    if (*days > 0) r.expires_at = now + *days * k_seconds_per_day;
    return r;
}

// "queued" until the outbox has created the coupon in the shop, then "delivered"; "failed" when
// the shop refused it for good (parked: `rewardd outbox list`).
const char* coupon_status(const std::optional<OutboxItem>& item) {
    if (!item || item->status == OutboxStatus::pending) return "queued";
    return item->status == OutboxStatus::delivered ? "delivered" : "failed";
}

nlohmann::json answer(const RedeemOutcome& o, const std::optional<OutboxItem>& item) {
    const auto expires = item ? item->grant.expires_at : std::nullopt;
    return {{"redemption_id", o.redemption_id},
            {"code", o.code},
            {"status", coupon_status(item)},
            {"points", o.points},
            {"amount_minor", o.amount_minor},
            {"currency", o.currency},
            {"available_after", o.available_after},
            {"minimum_subtotal_minor", o.minimum_subtotal_minor},
            {"expires_at", expires ? nlohmann::json(format_timestamp(*expires)) : nlohmann::json(nullptr)},
            {"existed", o.existed}};
}

}  // namespace

void handle_api_redeem(ApiContext& api, const httplib::Request& req, httplib::Response& res) {
    auto body = parse_json_object(req.body);
    if (!body) return send_api_error(res, body.error());
    const Timestamp now = api.clock();
    auto request = read_redeem(*body, now);
    if (!request) return send_api_error(res, request.error());
    const auto shop = api.shops.find(request->shop_id);
    if (!shop) return send_api_error(res, make_error(ErrorCode::unknown_shop, "no shop " + request->shop_id));
    auto done = api.db.with([&](const std::shared_ptr<SQLite::Database>& db) -> Result<nlohmann::json> {
        auto outcome = redeem(db, api.engine->rules(), *request, now);
        if (!outcome) return outcome.error();
        auto item = OutboxStore(db).find_by_grant(outcome->entry_key);
        if (!item) return item.error();
        return answer(*outcome, *item);
    });
    if (!done) return send_api_error(res, done.error());
    send_json(res, (*done)["existed"].get<bool>() ? 200 : 201, *done);
}

}  // namespace rewardd
