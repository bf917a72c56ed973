// Cached shop lookups.
#include "shop_directory.hpp"

#include <spdlog/spdlog.h>

namespace rewardd {

void ShopDirectory::reload_locked(std::chrono::steady_clock::time_point now) {
    auto shops = m_registry.list();
    m_loaded_at = now;
    if (!shops) {
        spdlog::warn("intake: cannot read shops error={}", shops.error().message);
        return;
    }
    m_shops.clear();
    for (auto& s : *shops) m_shops.emplace(s.id, std::move(s));
}

std::optional<Shop> ShopDirectory::find(const std::string& id) {
    std::lock_guard lock(m_mutex);
    const auto now = std::chrono::steady_clock::now();
    const bool stale = now - m_loaded_at > m_refresh;
    const bool may_retry_miss = now - m_loaded_at > std::chrono::milliseconds(200);
    if (stale || (!m_shops.count(id) && may_retry_miss)) reload_locked(now);
    const auto it = m_shops.find(id);
    if (it == m_shops.end()) return std::nullopt;
    return it->second;
}

std::size_t ShopDirectory::count() {
    std::lock_guard lock(m_mutex);
    reload_locked(std::chrono::steady_clock::now());
    return m_shops.size();
}

void ShopDirectory::invalidate() {
    std::lock_guard lock(m_mutex);
    m_loaded_at = {};
}

}  // namespace rewardd
