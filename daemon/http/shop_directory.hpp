// A short-lived cache of registered shops for the request path, so verifying a signature does not
// cost a database read per request. Shops added or removed by the CLI are seen within
// `refresh_ms`; an unknown shop triggers an immediate re-read (rate-limited).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>

#include "store/shop_registry.hpp"

namespace rewardd {

class ShopDirectory {
public:
    ShopDirectory(std::shared_ptr<SQLite::Database> db, std::chrono::milliseconds refresh)
        : m_registry(std::move(db)), m_refresh(refresh) {}

    std::optional<Shop> find(const std::string& id);
    std::size_t count();
    // Forgets the cache: the next lookup re-reads (after /api/v1 changed a shop).
    void invalidate();

private:
    void reload_locked(std::chrono::steady_clock::time_point now);

    std::mutex m_mutex;
    ShopRegistry m_registry;
    std::chrono::milliseconds m_refresh;
    std::map<std::string, Shop> m_shops;
    std::chrono::steady_clock::time_point m_loaded_at{};
};

}  // namespace rewardd
