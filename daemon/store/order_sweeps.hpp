// How far each shop's orders have been swept (table order_sweeps: v11, renamed by v13 when WooCommerce
// shops were swept too): the next sweep asks the shop for the orders changed since then
// (http/shopify_order_sweeper.hpp, http/woocommerce_order_sweeper.hpp).
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/timestamp.hpp"

namespace rewardd {

class OrderSweeps {
public:
    explicit OrderSweeps(SQLite::Database& db) : m_db(db) {}

    // When the shop's last complete sweep started; nullopt before its first.
    Result<std::optional<Timestamp>> swept_until(const std::string& shop_id);
    Result<bool> record(const std::string& shop_id, Timestamp until);

private:
    SQLite::Database& m_db;
};

}  // namespace rewardd
