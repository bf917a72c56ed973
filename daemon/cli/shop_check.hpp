// `rewardd shop check ID`: is the shop wired up? Shopify (cli/shopify_shop_setup.hpp): token,
// scopes, webhook subscriptions, last delivery. WooCommerce: does its REST key read orders (the
// call the order sweep makes), when did its last event arrive. Both: how far its orders were
// swept. Exit 0 only when the platform answered as it should.
#pragma once

#include <CLI/CLI.hpp>
#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "store/shop_registry.hpp"

namespace rewardd {

void register_shop_check(CLI::App& shop_command, int& exit_code);

// "orders swept: up to <time>" (the start of the shop's last complete sweep), "not yet", or "off"
// when `interval_s` (the config key `key`) is 0.
void print_orders_swept(SQLite::Database& db, const std::string& shop_id, std::int64_t interval_s, const char* key);

int check_woocommerce_shop(const Config& config, SQLite::Database& db, const Shop& shop);

}  // namespace rewardd
