// What a grant for a Shopify shop needs beyond the ledger entry: the customer's Shopify id (codes
// are restricted to it, store credit is put on it) and, for cashback, the shop's choice between a
// discount code and store credit (`rewardd shop add ... --cashback-as code|store-credit`).
#pragma once

#include <SQLiteCpp/Database.h>

#include <string>

#include "core/result.hpp"
#include "outbox/reward_deliverer.hpp"

namespace rewardd {

// "code" (default) or "store-credit": the values `--cashback-as` takes.
bool is_cashback_choice(const std::string& value);

// Fills grant.customer_platform_id from what the shop's webhooks told us; false when the customer's
// Shopify id is not known in that shop (nothing can be addressed to them yet).
Result<bool> address_shopify_grant(SQLite::Database& db, const std::string& customer, RewardGrant& grant);

// Cashback becomes store credit (no code) where the shop chose that.
void apply_cashback_choice(const Shop& shop, RewardGrant& grant);

}  // namespace rewardd
