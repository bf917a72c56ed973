// Shops table access; settings are a JSON object of strings.
#include "shop_registry.hpp"
#include "database.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <nlohmann/json.hpp>

namespace rewardd {
namespace {

Shop read_shop(SQLite::Statement& q) {
    Shop s;
    s.id = q.getColumn(0).getString();
    s.platform = q.getColumn(1).getString();
    s.secret = q.getColumn(2).getString();
    const auto settings = nlohmann::json::parse(q.getColumn(3).getString(), nullptr, false);
    if (settings.is_object()) {
        for (const auto& [k, v] : settings.items()) {
            if (v.is_string()) s.settings[k] = v.get<std::string>();
        }
    }
    s.created_at = q.getColumn(4).getInt64();
    return s;
}

}  // namespace

bool is_known_platform(const std::string& p) {
    return p == "woocommerce" || p == "shopify" || p == "custom";
}

bool is_valid_shop_id(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    return id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
           std::string::npos;
}

Result<bool> ShopRegistry::save(const Shop& shop) {
    try {
        SQLite::Statement q(*m_db,
                            "INSERT OR REPLACE INTO shops (id, platform, secret, settings, created_at) "
                            "VALUES (?, ?, ?, ?, ?)");
        q.bind(1, shop.id);
        q.bind(2, shop.platform);
        q.bind(3, shop.secret);
        q.bind(4, nlohmann::json(shop.settings).dump());
        q.bind(5, static_cast<std::int64_t>(shop.created_at));
        q.exec();
        return true;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<std::optional<Shop>> ShopRegistry::find(const std::string& id) {
    try {
        SQLite::Statement q(*m_db, "SELECT id, platform, secret, settings, created_at FROM shops WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep()) return std::optional<Shop>{};
        return std::optional<Shop>{read_shop(q)};
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<std::vector<Shop>> ShopRegistry::list() {
    try {
        SQLite::Statement q(*m_db, "SELECT id, platform, secret, settings, created_at FROM shops ORDER BY id");
        std::vector<Shop> out;
        while (q.executeStep()) out.push_back(read_shop(q));
        return out;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<bool> ShopRegistry::remove(const std::string& id) {
    try {
        SQLite::Transaction tx(*m_db);
        SQLite::Statement q(*m_db, "DELETE FROM shops WHERE id = ?");
        q.bind(1, id);
        const bool removed = q.exec() > 0;
        // A shop added again under this id is swept from its new registration on.
        SQLite::Statement sweep(*m_db, "DELETE FROM order_sweeps WHERE shop_id = ?");
        sweep.bind(1, id);
        sweep.exec();
        tx.commit();
        return removed;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<std::optional<std::string>> ShopPlatforms::platform(const std::string& shop_id) {
    auto known = m_platform_of.find(shop_id);
    if (known == m_platform_of.end()) {
        auto shop = m_registry.find(shop_id);
        if (!shop) return shop.error();
        if (!*shop) return std::optional<std::string>{};
        known = m_platform_of.emplace(shop_id, (*shop)->platform).first;
    }
    return std::optional<std::string>{known->second};
}

}  // namespace rewardd
