// Finds the registered Shopify shop a delivery is for, by exact lower-cased match of
// X-Shopify-Shop-Domain against the shop's `domain` setting (INTEGRATION.md S1.4). Cached and
// re-read every `refresh`, or at once (rate-limited) on a miss, like ShopDirectory.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "store/shop_registry.hpp"

namespace rewardd {

class ShopifyShopIndex {
public:
    ShopifyShopIndex(std::shared_ptr<SQLite::Database> db, std::mutex& db_mutex, std::chrono::milliseconds refresh)
        : m_registry(std::move(db)), m_db_mutex(db_mutex), m_refresh(refresh) {}

    std::optional<Shop> find_by_domain(const std::string& domain);
    void invalidate();

private:
    void reload_locked(std::chrono::steady_clock::time_point now);

    std::mutex m_mutex;
    ShopRegistry m_registry;
    std::mutex& m_db_mutex;
    std::chrono::milliseconds m_refresh;
    std::map<std::string, Shop> m_by_domain;
    std::chrono::steady_clock::time_point m_loaded_at{};
};

// "Jsmith.MyShopify.com " -> "jsmith.myshopify.com"
std::string normalise_shop_domain(std::string domain);

}  // namespace rewardd
