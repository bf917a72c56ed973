// SQL for table shopify_customers.
#include "shopify_customers.hpp"

namespace rewardd {

Result<bool> ShopifyCustomers::remember(const std::string& shop_id, const std::string& customer,
                                        const std::string& shopify_id, Timestamp now) {
    try {
        auto q = prepare(m_db, m_statements,
                         "INSERT INTO shopify_customers (shop_id, customer, shopify_id, updated_at) VALUES (?,?,?,?) "
                         "ON CONFLICT (shop_id, customer) DO UPDATE SET shopify_id = excluded.shopify_id, "
                         "updated_at = excluded.updated_at WHERE shopify_id <> excluded.shopify_id");
        q->bind(1, shop_id);
        q->bind(2, customer);
        q->bind(3, shopify_id);
        q->bind(4, static_cast<std::int64_t>(now));
        return q->exec() > 0;
    } catch (const SQLite::Exception& e) {
        return make_error(ErrorCode::storage_unavailable, e.what());
    }
}

Result<std::string> ShopifyCustomers::find(const std::string& shop_id, const std::string& customer) {
    try {
        SQLite::Statement q(m_db, "SELECT shopify_id FROM shopify_customers WHERE shop_id = ? AND customer = ?");
        q.bind(1, shop_id);
        q.bind(2, customer);
        if (q.executeStep()) return q.getColumn(0).getString();
    } catch (const SQLite::Exception& e) {
        return make_error(ErrorCode::storage_unavailable, e.what());
    }
    const std::string prefix = "shop:" + shop_id + ":customer:";  // core/customer_key.hpp
    if (customer.rfind(prefix, 0) == 0) return customer.substr(prefix.size());
    return std::string();
}

Result<bool> ShopifyCustomers::forget(const std::string& customer) {
    try {
        SQLite::Statement ids(m_db, "DELETE FROM shopify_customers WHERE customer = ?");
        ids.bind(1, customer);
        ids.exec();
        SQLite::Statement queued(m_db, "DELETE FROM shopify_metafield_queue WHERE customer = ?");
        queued.bind(1, customer);
        queued.exec();
        return true;
    } catch (const SQLite::Exception& e) {
        return make_error(ErrorCode::storage_unavailable, e.what());
    }
}

Result<bool> ShopifyCustomers::forget_shop(const std::string& shop_id) {
    try {
        for (const char* sql : {"DELETE FROM shopify_customers WHERE shop_id = ?",
                                "DELETE FROM shopify_metafield_queue WHERE shop_id = ?"}) {
            SQLite::Statement q(m_db, sql);
            q.bind(1, shop_id);
            q.exec();
        }
        return true;
    } catch (const SQLite::Exception& e) {
        return make_error(ErrorCode::storage_unavailable, e.what());
    }
}

}  // namespace rewardd
