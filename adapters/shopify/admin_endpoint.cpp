// Admin API addresses and credential kinds of a registered Shopify shop.
#include "admin_endpoint.hpp"

namespace rewardd::shopify {

std::string setting(const Shop& shop, const std::string& key) {
    const auto it = shop.settings.find(key);
    return it == shop.settings.end() ? "" : it->second;
}

std::string admin_base_url(const Shop& shop) {
    std::string base = setting(shop, "api_base");
    if (base.empty()) base = "https://" + setting(shop, "domain");
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
}

std::string graphql_url(const Shop& shop, const std::string& api_version) {
    return admin_base_url(shop) + "/admin/api/" + api_version + "/graphql.json";
}

std::string token_url(const Shop& shop) { return admin_base_url(shop) + "/admin/oauth/access_token"; }

CredentialKind credential_kind(const Shop& shop) {
    if (!setting(shop, "client_id").empty() && !setting(shop, "client_secret").empty()) {
        return CredentialKind::client_credentials;
    }
    if (!setting(shop, "token").empty()) return CredentialKind::static_token;
    return CredentialKind::none;
}

const char* credential_kind_id(CredentialKind kind) {
    switch (kind) {
        case CredentialKind::client_credentials: return "client_credentials";
        case CredentialKind::static_token: return "static_token";
        case CredentialKind::none: return "none";
    }
    return "none";
}

}  // namespace rewardd::shopify
