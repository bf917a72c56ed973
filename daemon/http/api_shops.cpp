// Shop registration over HTTP: validated like the CLI's `shop add`, secrets never echoed.
#include "api_shops.hpp"

#include <spdlog/spdlog.h>

#include <array>

#include "http/api_request.hpp"
#include "http/json_response.hpp"
#include "store/shop_registry.hpp"

namespace rewardd {
namespace {

constexpr std::size_t k_secret_chars_min = 8;
constexpr std::size_t k_setting_chars_max = 2048;
constexpr std::array<const char*, 8> k_setting_keys{"url",       "consumer_key",  "consumer_secret", "domain",
                                                    "client_id", "client_secret", "token",           "currency"};

// rewardd reads orders and writes coupons through WooCommerce's REST API with these.
bool needed_by_woocommerce(std::string_view key) {
    return key == "url" || key == "consumer_key" || key == "consumer_secret";
}

Error invalid(const std::string& field, const std::string& why) {
    return make_error(ErrorCode::invalid_field, field + ": " + why, field);
}

Result<Shop> read_shop(const nlohmann::json& body) {
    Shop shop;
    auto id = json_text(body, "id", "id", true, 64);
    if (!id) return id.error();
    if (!is_valid_shop_id(*id)) return invalid("id", "must be 1-64 of [A-Za-z0-9_-]");
    shop.id = *id;
    auto platform = json_text(body, "platform", "platform", true);
    if (!platform) return platform.error();
    if (!is_known_platform(*platform)) return invalid("platform", "must be woocommerce, shopify or custom");
    shop.platform = *platform;
    auto secret = json_text(body, "secret", "secret", true);
    if (!secret) return secret.error();
    if (secret->size() < k_secret_chars_min) return invalid("secret", "must be at least 8 characters");
    shop.secret = *secret;
    for (const char* key : k_setting_keys) {
        const bool required = shop.platform == "woocommerce" && needed_by_woocommerce(key);
        auto value = json_text(body, key, key, required, k_setting_chars_max);
        if (!value) return value.error();
        if (!value->empty()) shop.settings[key] = *value;
    }
    const auto url = shop.settings.find("url");
    if (url != shop.settings.end() && url->second.rfind("http://", 0) != 0 && url->second.rfind("https://", 0) != 0) {
        return invalid("url", "must start with http:// or https://");
    }
    return shop;
}

// Where the platform should send its webhooks, relative to rewardd's base URL.
std::string webhook_path(const Shop& shop) {
    if (shop.platform == "woocommerce") return "/webhooks/woocommerce/" + shop.id;
    if (shop.platform == "shopify") return "/webhooks/shopify";
    return "/api/v1/events";
}

}  // namespace

void handle_api_shop_save(ApiContext& api, const httplib::Request& req, httplib::Response& res) {
    auto body = parse_json_object(req.body);
    if (!body) return send_api_error(res, body.error());
    auto shop = read_shop(*body);
    if (!shop) return send_api_error(res, shop.error());
    shop->created_at = api.clock();
    auto saved = api.db.with([&shop](auto& db) -> Result<bool> {
        ShopRegistry registry(db);
        auto existing = registry.find(shop->id);
        if (!existing) return existing.error();
        if (existing->has_value()) shop->created_at = (*existing)->created_at;
        auto written = registry.save(*shop);
        if (!written) return written.error();
        return existing->has_value();
    });
    if (!saved) return send_api_error(res, saved.error());
    api.shops.invalidate();
    spdlog::info("api: shop saved shop={} platform={} replaced={}", shop->id, shop->platform, *saved);
    const auto url = shop->settings.find("url");
    send_json(res, *saved ? 200 : 201,
              {{"shop", {{"id", shop->id},
                         {"platform", shop->platform},
                         {"url", url == shop->settings.end() ? nlohmann::json(nullptr) : nlohmann::json(url->second)}}},
               {"webhook_url", webhook_path(*shop)}});
}

void handle_api_shop_remove(ApiContext& api, const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches[1].str();
    auto removed = api.db.with([&id](auto& db) { return ShopRegistry(db).remove(id); });
    if (!removed) return send_api_error(res, removed.error());
    if (!*removed) return send_api_error(res, make_error(ErrorCode::unknown_shop, "no shop " + id));
    api.shops.invalidate();
    spdlog::info("api: shop removed shop={}", id);
    send_json(res, 200, {{"removed", id}});
}

}  // namespace rewardd
