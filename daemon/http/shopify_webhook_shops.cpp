// Domain -> shop cache for the Shopify webhook route.
#include "shopify_webhook_shops.hpp"

#include <spdlog/spdlog.h>

namespace rewardd {

std::string normalise_shop_domain(std::string domain) {
    while (!domain.empty() && (domain.back() == ' ' || domain.back() == '/')) domain.pop_back();
    while (!domain.empty() && domain.front() == ' ') domain.erase(domain.begin());
    for (char& c : domain) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return domain;
}

void ShopifyShopIndex::reload_locked(std::chrono::steady_clock::time_point now) {
    m_loaded_at = now;
    std::lock_guard db_lock(m_db_mutex);
    auto shops = m_registry.list();
    if (!shops) {
        spdlog::warn("shopify: cannot read shops error={}", shops.error().message);
        return;
    }
    m_by_domain.clear();
    for (auto& s : *shops) {
        const auto it = s.settings.find("domain");
        if (s.platform != "shopify" || it == s.settings.end() || it->second.empty()) continue;
        m_by_domain[normalise_shop_domain(it->second)] = std::move(s);
    }
}

std::optional<Shop> ShopifyShopIndex::find_by_domain(const std::string& domain) {
    const std::string key = normalise_shop_domain(domain);
    if (key.empty()) return std::nullopt;
    std::lock_guard lock(m_mutex);
    const auto now = std::chrono::steady_clock::now();
    const bool stale = now - m_loaded_at > m_refresh;
    const bool may_retry_miss = now - m_loaded_at > std::chrono::milliseconds(200);
    if (stale || (!m_by_domain.count(key) && may_retry_miss)) reload_locked(now);
    const auto it = m_by_domain.find(key);
    if (it == m_by_domain.end()) return std::nullopt;
    return it->second;
}

void ShopifyShopIndex::invalidate() {
    std::lock_guard lock(m_mutex);
    m_loaded_at = {};
}

}  // namespace rewardd
