// SQL for product_categories (migration v6).
#include "product_catalog.hpp"

#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>

#include "database.hpp"

namespace rewardd {

Result<std::optional<std::vector<std::string>>> ProductCatalog::categories(const std::string& shop_id,
                                                                           const std::string& product_id) {
    try {
        SQLite::Statement q(m_db,
                            "SELECT categories FROM product_categories WHERE shop_id = ? AND product_id = ? "
                            "AND state <> 'wanted'");
        q.bind(1, shop_id);
        q.bind(2, product_id);
        if (!q.executeStep()) return std::optional<std::vector<std::string>>{};
        const auto doc = nlohmann::json::parse(q.getColumn(0).getString(), nullptr, false);
        std::vector<std::string> out;
        if (doc.is_array()) {
            for (const auto& c : doc) {
                if (c.is_string()) out.push_back(c.get<std::string>());
            }
        }
        return std::optional<std::vector<std::string>>{std::move(out)};
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<bool> ProductCatalog::want(const std::string& shop_id, const std::string& product_id, Timestamp now) {
    try {
        SQLite::Statement q(m_db,
                            "INSERT OR IGNORE INTO product_categories (shop_id, product_id, state, next_try_at, "
                            "updated_at) VALUES (?, ?, 'wanted', ?, ?)");
        q.bind(1, shop_id);
        q.bind(2, product_id);
        q.bind(3, static_cast<std::int64_t>(now));
        q.bind(4, static_cast<std::int64_t>(now));
        return q.exec() > 0;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<std::vector<WantedProduct>> ProductCatalog::due(Timestamp now, std::size_t limit) {
    try {
        SQLite::Statement q(m_db,
                            "SELECT shop_id, product_id, attempts FROM product_categories "
                            "WHERE state = 'wanted' AND next_try_at <= ? ORDER BY next_try_at LIMIT ?");
        q.bind(1, static_cast<std::int64_t>(now));
        q.bind(2, static_cast<std::int64_t>(limit));
        std::vector<WantedProduct> out;
        while (q.executeStep()) {
            out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt()});
        }
        return out;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<bool> ProductCatalog::resolve(const std::string& shop_id, const std::string& product_id,
                                     const std::string& state, const std::vector<std::string>& categories,
                                     Timestamp now) {
    try {
        // Only a wanted product is resolved: categories once known are never rewritten.
        SQLite::Statement q(m_db,
                            "UPDATE product_categories SET state = ?, categories = ?, updated_at = ? "
                            "WHERE shop_id = ? AND product_id = ? AND state = 'wanted'");
        q.bind(1, state);
        q.bind(2, nlohmann::json(categories).dump());
        q.bind(3, static_cast<std::int64_t>(now));
        q.bind(4, shop_id);
        q.bind(5, product_id);
        return q.exec() > 0;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<bool> ProductCatalog::retry_later(const WantedProduct& product, Timestamp next_try_at,
                                         const std::string& error, Timestamp now) {
    try {
        SQLite::Statement q(m_db,
                            "UPDATE product_categories SET attempts = attempts + 1, next_try_at = ?, last_error = ?, "
                            "updated_at = ? WHERE shop_id = ? AND product_id = ? AND state = 'wanted'");
        q.bind(1, static_cast<std::int64_t>(next_try_at));
        q.bind(2, error.substr(0, 500));
        q.bind(3, static_cast<std::int64_t>(now));
        q.bind(4, product.shop_id);
        q.bind(5, product.product_id);
        return q.exec() > 0;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

}  // namespace rewardd
