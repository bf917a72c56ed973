// SQL for the Shopify delivery log (table shopify_deliveries, migration v3).
#include "shopify_delivery_log.hpp"
#include "database.hpp"

#include <SQLiteCpp/Statement.h>

namespace rewardd {

// Two lookups, each on its own index: one query with "webhook_id = ? OR event_id = ?" makes
// SQLite walk every delivery of the shop, which grows with the shop's history.
Result<bool> ShopifyDeliveryLog::seen(const std::string& shop_id, const std::string& webhook_id,
                                      const std::string& event_id) {
    try {
        auto by_webhook =
            prepare(m_db, m_statements, "SELECT 1 FROM shopify_deliveries WHERE shop_id = ? AND webhook_id = ?");
        by_webhook->bind(1, shop_id);
        by_webhook->bind(2, webhook_id);
        if (by_webhook->executeStep()) return true;
        if (event_id.empty()) return false;
        auto by_event =
            prepare(m_db, m_statements, "SELECT 1 FROM shopify_deliveries WHERE shop_id = ? AND event_id = ? LIMIT 1");
        by_event->bind(1, shop_id);
        by_event->bind(2, event_id);
        return by_event->executeStep();
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<bool> ShopifyDeliveryLog::record(const ShopifyDelivery& d) {
    try {
        auto q = prepare(m_db, m_statements,
                         "INSERT OR IGNORE INTO shopify_deliveries (shop_id, webhook_id, event_id, topic, "
                         "received_at) VALUES (?, ?, ?, ?, ?)");
        q->bind(1, d.shop_id);
        q->bind(2, d.webhook_id);
        q->bind(3, d.event_id);
        q->bind(4, d.topic);
        q->bind(5, static_cast<std::int64_t>(d.received_at));
        return q->exec() > 0;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<std::optional<ShopifyDelivery>> ShopifyDeliveryLog::last(const std::string& shop_id) {
    try {
        SQLite::Statement q(m_db,
                            "SELECT webhook_id, event_id, topic, received_at FROM shopify_deliveries "
                            "WHERE shop_id = ? ORDER BY received_at DESC, rowid DESC LIMIT 1");
        q.bind(1, shop_id);
        if (!q.executeStep()) return std::optional<ShopifyDelivery>{};
        return std::optional<ShopifyDelivery>{ShopifyDelivery{shop_id, q.getColumn(0).getString(),
                                                              q.getColumn(1).getString(), q.getColumn(2).getString(),
                                                              q.getColumn(3).getInt64()}};
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

}  // namespace rewardd
