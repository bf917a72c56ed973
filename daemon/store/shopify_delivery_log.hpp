// Shopify deliveries already taken in, by (shop, X-Shopify-Webhook-Id) and (shop, X-Shopify-Event-Id),
// so a repeat is dropped at the door; also answers "when did this shop last deliver?" for
// `shop check`. Ledger idempotency never depends on it (business keys do that).
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/timestamp.hpp"
#include "store/statement_cache.hpp"

namespace rewardd {

struct ShopifyDelivery {
    std::string shop_id;
    std::string webhook_id;
    std::string event_id;  // may be empty
    std::string topic;
    Timestamp received_at = 0;
};

class ShopifyDeliveryLog {
public:
    // `statements`: the connection owner's cache, for callers that log every delivery.
    explicit ShopifyDeliveryLog(SQLite::Database& db, StatementCache* statements = nullptr)
        : m_db(db), m_statements(statements) {}

    Result<bool> seen(const std::string& shop_id, const std::string& webhook_id, const std::string& event_id);
    Result<bool> record(const ShopifyDelivery& delivery);  // false when it was already there
    Result<std::optional<ShopifyDelivery>> last(const std::string& shop_id);

private:
    SQLite::Database& m_db;
    StatementCache* m_statements;
};

}  // namespace rewardd
