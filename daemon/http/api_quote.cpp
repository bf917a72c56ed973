// Quote: request JSON -> core Order -> plan_earning. Every error names the field at fault.
#include "api_quote.hpp"

#include "core/customer_key.hpp"
#include "core/earning_plan.hpp"
#include "core/money.hpp"
#include "core/tier_timeline.hpp"
#include "http/api_request.hpp"
#include "http/json_response.hpp"
#include "store/sqlite_store.hpp"

namespace rewardd {
namespace {

constexpr std::size_t k_lines_max = 1000;
constexpr std::size_t k_categories_max = 100;
constexpr std::int64_t k_amount_max = 1'000'000'000'000'000;  // 10^18 minor units, as events

struct QuoteRequest {
    std::string shop;
    std::string email;  // normalised; "" = a guest
    Order order;
};

Error invalid(const std::string& field, const std::string& why) {
    return make_error(ErrorCode::invalid_field, field + ": " + why, field);
}

Result<std::vector<std::string>> read_categories(const nlohmann::json& line, const std::string& path) {
    std::vector<std::string> out;
    const auto it = line.find("categories");
    if (it == line.end() || it->is_null()) return out;
    if (!it->is_array() || it->size() > k_categories_max) return invalid(path, "must be an array of strings");
    for (const auto& c : *it) {
        if (!c.is_string()) return invalid(path, "must be an array of strings");
        out.push_back(c.get<std::string>());
    }
    return out;
}

Result<OrderLine> read_line(const nlohmann::json& line, std::size_t index) {
    const std::string path = "lines[" + std::to_string(index) + "]";
    if (!line.is_object()) return invalid(path, "must be an object");
    OrderLine out;
    out.id = "q" + std::to_string(index);
    auto product = json_text(line, "product_id", path + ".product_id", false);
    if (!product) return product.error();
    out.product_id = *product;
    auto categories = read_categories(line, path + ".categories");
    if (!categories) return categories.error();
    out.categories = std::move(*categories);
    auto quantity = json_integer(line, "quantity", path + ".quantity", false, 0, 1'000'000'000, 1);
    if (!quantity) return quantity.error();
    out.quantity = *quantity;
    auto total = json_integer(line, "total", path + ".total", true, 0, k_amount_max);
    if (!total) return total.error();
    out.total_minor = *total;
    return out;
}

Result<QuoteRequest> read_quote(const nlohmann::json& body) {
    QuoteRequest q;
    auto shop = json_text(body, "shop", "shop", true, 64);
    if (!shop) return shop.error();
    q.shop = *shop;
    auto currency = json_text(body, "currency", "currency", true, 3);
    if (!currency) return currency.error();
    if (!currency_exponent(*currency)) {
        return make_error(ErrorCode::unknown_currency, "currency: not an ISO 4217 code rewardd knows", "currency");
    }
    q.order.currency = *currency;
    auto email = json_text(body, "customer_email", "customer_email", false, 254);
    if (!email) return email.error();
    q.email = normalise_email(*email);
    auto discount = json_integer(body, "discount", "discount", false, 0, k_amount_max, 0);
    if (!discount) return discount.error();
    q.order.discount_minor = *discount;
    const auto lines = body.find("lines");
    if (lines == body.end() || lines->is_null()) {
        return make_error(ErrorCode::missing_field, "lines: is required", "lines");
    }
    if (!lines->is_array() || lines->size() > k_lines_max) return invalid("lines", "must be an array of at most 1000 lines");
    for (std::size_t i = 0; i < lines->size(); ++i) {
        auto line = read_line((*lines)[i], i);
        if (!line) return line.error();
        q.order.lines.push_back(std::move(*line));
    }
    return q;
}

// The tier the customer would earn at now: spend from their own entries, as the engine does.
Result<TierStatus> tier_now(ApiContext& api, const Rules& rules, const std::string& email, Timestamp now) {
    if (email.empty() || rules.tiers.empty()) return TierStatus{};
    return api.db.with([&](auto& db) -> Result<TierStatus> {
        SqliteStore store(db);
        auto customer = store.find_customer(email);
        if (!customer) return customer.error();
        if (!customer->has_value()) return TierStatus{};
        auto entries = store.customer_entries((*customer)->key);
        if (!entries) return entries.error();
        return tier_before(rules, spend_from_entries(*entries), now);
    });
}

}  // namespace

void handle_api_quote(ApiContext& api, const httplib::Request& req, httplib::Response& res) {
    auto body = parse_json_object(req.body);
    if (!body) return send_api_error(res, body.error());
    auto quote = read_quote(*body);
    if (!quote) return send_api_error(res, quote.error());
    if (!api.shops.find(quote->shop)) {
        return send_api_error(res, make_error(ErrorCode::unknown_shop, "no shop " + quote->shop));
    }
    const Timestamp now = api.clock();
    const Rules& rules = api.engine->rules().at(now);
    auto tier = tier_now(api, rules, quote->email, now);
    if (!tier) return send_api_error(res, tier.error());
    const EarningPlan plan = plan_earning(rules, quote->order, now, *tier);
    send_json(res, 200,
              {{"points", plan.points},
               {"cashback_minor", plan.cashback_minor},
               {"currency", quote->order.currency},
               {"tier", tier->name},
               {"rule_version", rules.version}});
}

}  // namespace rewardd
