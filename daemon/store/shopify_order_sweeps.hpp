// How far each Shopify shop's orders have been swept (table shopify_order_sweeps, v11): the next
// sweep asks Shopify for the orders updated since then (http/shopify_order_sweeper.hpp).
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/timestamp.hpp"

namespace rewardd {

class ShopifyOrderSweeps {
public:
    explicit ShopifyOrderSweeps(SQLite::Database& db) : m_db(db) {}

    // When the shop's last complete sweep started; nullopt before its first.
    Result<std::optional<Timestamp>> swept_until(const std::string& shop_id);
    Result<bool> record(const std::string& shop_id, Timestamp until);

private:
    SQLite::Database& m_db;
};

}  // namespace rewardd
