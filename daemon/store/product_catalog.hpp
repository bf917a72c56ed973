// Product categories fetched from a shop's catalogue (table product_categories, migration v6).
// WooCommerce's order JSON carries no categories (INTEGRATION.md W2), so an order whose rules need
// them waits until its products are known. Once known, a product's categories are kept as they
// were first fetched: replaying an order gives the same earning whatever the shop did since.
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/timestamp.hpp"

namespace rewardd {

struct WantedProduct {
    std::string shop_id;
    std::string product_id;
    int attempts = 0;
};

class ProductCatalog {
public:
    explicit ProductCatalog(SQLite::Database& db) : m_db(db) {}

    // The product's categories once resolved (empty when the shop has none or the product is
    // gone); nullopt while it is still to be fetched.
    Result<std::optional<std::vector<std::string>>> categories(const std::string& shop_id,
                                                               const std::string& product_id);
    // Asks for the product to be fetched (no-op when already asked for or resolved).
    Result<bool> want(const std::string& shop_id, const std::string& product_id, Timestamp now);
    // Products waiting to be fetched whose next try is due.
    Result<std::vector<WantedProduct>> due(Timestamp now, std::size_t limit);

    // state: "known" (categories fetched), "missing" (the shop has no such product) or
    // "unavailable" (gave up after repeated failures): all three end the wait.
    Result<bool> resolve(const std::string& shop_id, const std::string& product_id, const std::string& state,
                         const std::vector<std::string>& categories, Timestamp now);
    Result<bool> retry_later(const WantedProduct& product, Timestamp next_try_at, const std::string& error,
                             Timestamp now);

private:
    SQLite::Database& m_db;
};

}  // namespace rewardd
