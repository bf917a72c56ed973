// Each customer's Shopify id per shop (table shopify_customers, v5), recorded from orders and
// customers webhooks in the same group commit as their events: discount codes, store credit and
// metafields are addressed to it (gid://shopify/Customer/<id>). One instance per connection.
#pragma once

#include <SQLiteCpp/Database.h>

#include <string>

#include "core/result.hpp"
#include "core/timestamp.hpp"
#include "store/statement_cache.hpp"

namespace rewardd {

class ShopifyCustomers {
public:
    // `statements`: the connection owner's cache, for callers that remember ids on every delivery.
    explicit ShopifyCustomers(SQLite::Database& db, StatementCache* statements = nullptr)
        : m_db(db), m_statements(statements) {}

    // Records the id (a later one replaces an earlier one: the newest webhook knows best).
    Result<bool> remember(const std::string& shop_id, const std::string& customer, const std::string& shopify_id,
                          Timestamp now);
    // The customer's Shopify id in that shop: as recorded, or read from a ledger key made without
    // an e-mail ("shop:<shop>:customer:<id>"); empty when not known.
    Result<std::string> find(const std::string& shop_id, const std::string& customer);
    // Erasure: the link between the person and their Shopify id goes, in every shop.
    Result<bool> forget(const std::string& customer);
    // shop/redact: every id recorded for that shop, and its pending metafield writes.
    Result<bool> forget_shop(const std::string& shop_id);

private:
    SQLite::Database& m_db;
    StatementCache* m_statements;
};

}  // namespace rewardd
