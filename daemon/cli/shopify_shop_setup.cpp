// `shop add` and `shop check`, their Shopify parts.
#include "shopify_shop_setup.hpp"

#include <iostream>
#include <regex>

#include "adapters/shopify/webhook_subscriptions.hpp"
#include "cli/cli_context.hpp"
#include "cli/shop_check.hpp"
#include "rewards/shopify_grants.hpp"
#include "store/shopify_delivery_log.hpp"

namespace rewardd {
namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

void print_token(const Shop& shop, const shopify::CallOutcome& got, const shopify::AccessToken& token) {
    std::cout << "token: " << shopify::credential_kind_id(shopify::credential_kind(shop));
    if (!got.ok()) {
        std::cout << ", not obtained (" << call_status_id(got.status) << ": " << got.detail << ")\n";
        return;
    }
    std::cout << ", ok";
    if (token.expires_at_ms > 0) std::cout << ", renews before " << format_timestamp(token.expires_at_ms / 1000);
    std::cout << "\n";
}

// The app's granted scopes, from the Admin API itself (works for both credential kinds).
shopify::CallOutcome granted_scopes(shopify::AdminApi& api, const Shop& shop, std::vector<std::string>& scopes) {
    nlohmann::json data;
    auto call = api.graphql.call(shop, "query RewarddScopes { currentAppInstallation { accessScopes { handle } } }",
                                 nlohmann::json::object(), data, 2);
    if (!call.ok()) return call;
    const auto installation = data.value("currentAppInstallation", nlohmann::json::object());
    if (!installation.is_object()) return call;
    for (const auto& s : installation.value("accessScopes", nlohmann::json::array())) {
        if (s.is_object() && s.contains("handle") && s["handle"].is_string()) scopes.push_back(s["handle"]);
    }
    return call;
}

}  // namespace

int check_shopify_shop(const Config& config, SQLite::Database& db, const Shop& shop) {
    std::cout << "shop: " << shop.id << " (" << shopify::setting(shop, "domain") << ")\n";
    if (const auto at = shopify::setting(shop, "uninstalled_at"); !at.empty()) std::cout << "uninstalled: " << at << "\n";
    auto api = shopify::make_admin_api(shopify_admin_options(config));
    shopify::AccessToken token;
    const auto got = api->tokens.fetch(shop, token);
    print_token(shop, got, token);
    std::vector<std::string> scopes;
    const auto scoped = got.ok() ? granted_scopes(*api, shop, scopes) : got;
    std::cout << "scopes: " << (scoped.ok() ? joined(scopes) : "unknown (" + scoped.detail + ")") << "\n";
    const std::string uri = config.public_url.empty() ? "" : shopify::delivery_uri(config.public_url);
    std::vector<shopify::Subscription> subs;
    const auto listed = got.ok() ? shopify::list_subscriptions(api->graphql, shop, uri, subs) : got;
    std::cout << "subscriptions" << (uri.empty() ? " (public_url not set: all shown)" : " to " + uri) << ": ";
    if (!listed.ok()) {
        std::cout << "unknown (" << listed.detail << ")\n";
    } else {
        std::vector<std::string> topics, missing;
        for (const auto& s : subs) topics.push_back(s.topic);
        for (const auto& t : shopify::required_topics()) {
            if (std::find(topics.begin(), topics.end(), t) == topics.end()) missing.push_back(t);
        }
        std::cout << subs.size() << " [" << joined(topics) << "]\n";
        std::cout << "missing: " << (missing.empty() ? "none" : joined(missing)) << "\n";
    }
    auto last = ShopifyDeliveryLog(db).last(shop.id);
    std::cout << "last delivery: ";
    if (last && *last) std::cout << (*last)->topic << " at " << format_timestamp((*last)->received_at) << "\n";
    else std::cout << "none\n";
    print_orders_swept(db, shop.id, config.shopify_order_sweep_interval_s, "shopify_order_sweep_interval_s");
    return got.ok() && listed.ok() ? 0 : 1;
}

shopify::AdminOptions shopify_admin_options(const Config& config) {
    shopify::AdminOptions options;
    options.api_version = config.shopify_api_version;
    options.timeout_ms = config.shopify_timeout_ms;
    return options;
}

std::optional<Error> prepare_shopify_shop(Shop& shop) {
    static const std::regex domain_pattern("^[a-zA-Z0-9][a-zA-Z0-9_-]*\\.myshopify\\.com$");
    auto& domain = shop.settings["domain"];
    std::transform(domain.begin(), domain.end(), domain.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!std::regex_match(domain, domain_pattern)) {
        return make_error(ErrorCode::invalid_field, "--domain must be NAME.myshopify.com", "--domain");
    }
    if (shopify::credential_kind(shop) == shopify::CredentialKind::none) {
        return make_error(ErrorCode::missing_field, "give --client-id and --client-secret (Dev Dashboard app) or --token",
                          "--client-id");
    }
    if (const auto it = shop.settings.find("cashback_as"); it != shop.settings.end() && !is_cashback_choice(it->second)) {
        return make_error(ErrorCode::invalid_field, "--cashback-as must be code or store-credit", "--cashback-as");
    }
    if (shop.secret.empty()) shop.secret = shopify::setting(shop, "client_secret");
    return std::nullopt;
}

int connect_shopify_shop(const Shop& shop, const Config& config) {
    auto api = shopify::make_admin_api(shopify_admin_options(config));
    shopify::AccessToken token;
    const auto got = api->tokens.fetch(shop, token);
    if (got.status == shopify::CallStatus::auth_failed) {
        std::cerr << "rewardd: auth_failed: " << got.detail << "; the shop is saved, run shop add again with the "
                  << "right credentials\n";
        return 1;
    }
    if (!got.ok()) {
        std::cerr << "warning: Shopify could not be reached (" << got.detail << "). The shop is saved; "
                  << "`rewardd serve` subscribes the webhooks in the background once Shopify answers.\n";
        return 0;
    }
    std::cout << "shopify: access token obtained (" << shopify::credential_kind_id(shopify::credential_kind(shop))
              << ")\n";
    if (config.public_url.empty()) {
        std::cerr << "warning: public_url is not set in the config, so no webhook subscriptions were made.\n";
        return 0;
    }
    const auto report = shopify::ensure_subscriptions(api->graphql, shop, shopify::delivery_uri(config.public_url));
    if (!report.outcome.ok()) {
        std::cerr << "warning: subscribing webhooks failed (" << report.outcome.detail << "); missing: "
                  << joined(report.missing) << ". `rewardd serve` retries in the background.\n";
        return 0;
    }
    std::cout << "shopify: webhooks subscribed to " << shopify::delivery_uri(config.public_url) << " ("
              << report.created.size() << " created, " << report.existing.size() << " already there)\n";
    return 0;
}

}  // namespace rewardd
