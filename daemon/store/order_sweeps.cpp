// SQL for table order_sweeps.
#include "order_sweeps.hpp"

namespace rewardd {

Result<std::optional<Timestamp>> OrderSweeps::swept_until(const std::string& shop_id) {
    try {
        SQLite::Statement q(m_db, "SELECT swept_until FROM order_sweeps WHERE shop_id = ?");
        q.bind(1, shop_id);
        if (q.executeStep()) return std::optional<Timestamp>(q.getColumn(0).getInt64());
        return std::optional<Timestamp>();
    } catch (const SQLite::Exception& e) {
        return make_error(ErrorCode::storage_unavailable, e.what());
    }
}

Result<bool> OrderSweeps::record(const std::string& shop_id, Timestamp until) {
    try {
        SQLite::Statement q(m_db,
                            "INSERT INTO order_sweeps (shop_id, swept_until) VALUES (?, ?) "
                            "ON CONFLICT (shop_id) DO UPDATE SET swept_until = excluded.swept_until");
        q.bind(1, shop_id);
        q.bind(2, static_cast<std::int64_t>(until));
        return q.exec() > 0;
    } catch (const SQLite::Exception& e) {
        return make_error(ErrorCode::storage_unavailable, e.what());
    }
}

}  // namespace rewardd
