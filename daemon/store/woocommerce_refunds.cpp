// SQL for woocommerce_refunds (migration v10).
#include "woocommerce_refunds.hpp"

#include <SQLiteCpp/Statement.h>

#include "database.hpp"

namespace rewardd {
namespace {

void bind_key(SQLite::Statement& q, int first, const WantedRefund& r) {
    q.bind(first, r.shop_id);
    q.bind(first + 1, r.order_id);
    q.bind(first + 2, r.refund_id);
}

}  // namespace

Result<std::optional<KeptRefund>> WooCommerceRefunds::find(const std::string& shop_id, const std::string& order_id,
                                                           const std::string& refund_id) {
    try {
        SQLite::Statement q(m_db,
                            "SELECT state, detail, next_try_at FROM woocommerce_refunds "
                            "WHERE shop_id = ? AND order_id = ? AND refund_id = ?");
        bind_key(q, 1, {shop_id, order_id, refund_id, "", 0});
        if (!q.executeStep()) return std::optional<KeptRefund>{};
        return std::optional<KeptRefund>{
            KeptRefund{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt64()}};
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<bool> WooCommerceRefunds::want(const WantedRefund& refund, Timestamp now) {
    try {
        SQLite::Statement q(m_db,
                            "INSERT OR IGNORE INTO woocommerce_refunds (shop_id, order_id, refund_id, currency, state, "
                            "next_try_at, updated_at) VALUES (?, ?, ?, ?, 'wanted', ?, ?)");
        bind_key(q, 1, refund);
        q.bind(4, refund.currency);
        q.bind(5, static_cast<std::int64_t>(now));
        q.bind(6, static_cast<std::int64_t>(now));
        return q.exec() > 0;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<std::vector<WantedRefund>> WooCommerceRefunds::due(Timestamp now, std::size_t limit) {
    try {
        SQLite::Statement q(m_db,
                            "SELECT shop_id, order_id, refund_id, currency, attempts FROM woocommerce_refunds "
                            "WHERE state = 'wanted' AND next_try_at <= ? ORDER BY next_try_at LIMIT ?");
        q.bind(1, static_cast<std::int64_t>(now));
        q.bind(2, static_cast<std::int64_t>(limit));
        std::vector<WantedRefund> out;
        while (q.executeStep()) {
            out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                           q.getColumn(3).getString(), q.getColumn(4).getInt()});
        }
        return out;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<bool> WooCommerceRefunds::resolve(const WantedRefund& refund, const std::string& state,
                                         const std::string& detail, Timestamp now) {
    try {
        // Only a wanted refund is resolved: a document once kept is never rewritten.
        SQLite::Statement q(m_db,
                            "UPDATE woocommerce_refunds SET state = ?, detail = ?, updated_at = ? "
                            "WHERE shop_id = ? AND order_id = ? AND refund_id = ? AND state = 'wanted'");
        q.bind(1, state);
        q.bind(2, detail);
        q.bind(3, static_cast<std::int64_t>(now));
        bind_key(q, 4, refund);
        return q.exec() > 0;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<bool> WooCommerceRefunds::retry_later(const WantedRefund& refund, Timestamp next_try_at,
                                             const std::string& error, Timestamp now) {
    try {
        SQLite::Statement q(m_db,
                            "UPDATE woocommerce_refunds SET attempts = attempts + 1, next_try_at = ?, last_error = ?, "
                            "updated_at = ? WHERE shop_id = ? AND order_id = ? AND refund_id = ? AND state = 'wanted'");
        q.bind(1, static_cast<std::int64_t>(next_try_at));
        q.bind(2, error.substr(0, 500));
        q.bind(3, static_cast<std::int64_t>(now));
        bind_key(q, 4, refund);
        return q.exec() > 0;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

}  // namespace rewardd
