// The Shopify side of `rewardd shop add` and `rewardd shop check ID`: checking the domain and
// credentials, getting a first token, subscribing the webhook topics, and reporting a shop's
// token, scopes, subscriptions and last delivery. Tokens are never printed.
#pragma once

#include <CLI/CLI.hpp>
#include <SQLiteCpp/Database.h>

#include <optional>

#include "adapters/shopify/admin_api.hpp"
#include "config/config.hpp"
#include "store/shop_registry.hpp"

namespace rewardd {

// The Admin API settings from the config (pinned version, timeout).
shopify::AdminOptions shopify_admin_options(const Config& config);

// Before saving: a *.myshopify.com domain and either client id + secret or a static token.
// Fills the webhook secret from the client secret when --secret was not given.
std::optional<Error> prepare_shopify_shop(Shop& shop);
// After saving: token and subscriptions. Unreachable Shopify is a warning (exit 0: `serve`
// retries in the background); refused credentials are an error (exit 1; the shop stays saved).
int connect_shopify_shop(const Shop& shop, const Config& config);
// `rewardd shop check ID` of a Shopify shop: token, scopes, subscriptions, last delivery, sweep
// mark; 0 when the token and the subscriptions could be read.
int check_shopify_shop(const Config& config, SQLite::Database& db, const Shop& shop);

}  // namespace rewardd
