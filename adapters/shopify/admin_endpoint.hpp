// Where a Shopify shop's Admin API lives and how we call it: the shop's myshopify domain (or, in
// tests, an `api_base` override on loopback), the pinned API version and the request timeout.
// Pure string work; no I/O.
#pragma once

#include <cstdint>
#include <string>

#include "store/shop_registry.hpp"

namespace rewardd::shopify {

struct AdminOptions {
    std::string api_version = "2026-07";  // pinned; Shopify "falls forward" from expired ones
    std::int64_t timeout_ms = 10000;      // one Admin API request, connect included
    std::int64_t throttle_wait_ms_max = 10000;  // longest we pace inside one call before giving up
};

// "https://jsmith.myshopify.com", or the shop's `api_base` setting when set (tests point it at a
// fake on 127.0.0.1). No trailing slash.
std::string admin_base_url(const Shop& shop);
std::string graphql_url(const Shop& shop, const std::string& api_version);
std::string token_url(const Shop& shop);

// Which kind of credential the shop was added with (INTEGRATION.md S1.1).
enum class CredentialKind { client_credentials, static_token, none };
CredentialKind credential_kind(const Shop& shop);
const char* credential_kind_id(CredentialKind kind);

std::string setting(const Shop& shop, const std::string& key);  // "" when absent

}  // namespace rewardd::shopify
