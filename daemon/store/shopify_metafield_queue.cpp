// SQL for table shopify_metafield_queue.
#include "shopify_metafield_queue.hpp"
#include "database.hpp"

namespace rewardd {

Result<int> ShopifyMetafieldQueue::mark(const std::string& customer, std::int64_t now_ms) {
    try {
        auto q = prepare(m_db, m_statements,
                         "INSERT INTO shopify_metafield_queue (shop_id, customer, first_marked_ms, last_marked_ms, "
                         "generation) SELECT shop_id, customer, ?1, ?1, 1 FROM shopify_customers WHERE customer = ?2 "
                         "ON CONFLICT (shop_id, customer) DO UPDATE SET last_marked_ms = excluded.last_marked_ms, "
                         "generation = generation + 1");
        q->bind(1, now_ms);
        q->bind(2, customer);
        return q->exec();
    } catch (const SQLite::Exception& e) {
        return storage_error(e);
    }
}

Result<std::vector<MetafieldMark>> ShopifyMetafieldQueue::due(std::int64_t now_ms, std::int64_t quiet_ms,
                                                              std::int64_t max_delay_ms, std::size_t limit) {
    try {
        SQLite::Statement q(m_db,
                            "SELECT shop_id, customer, generation, attempts FROM shopify_metafield_queue "
                            "WHERE next_attempt_ms <= ?1 AND (last_marked_ms <= ?1 - ?2 OR first_marked_ms <= ?1 - ?3) "
                            "ORDER BY first_marked_ms LIMIT ?4");
        q.bind(1, now_ms);
        q.bind(2, quiet_ms);
        q.bind(3, max_delay_ms);
        q.bind(4, static_cast<std::int64_t>(limit));
        std::vector<MetafieldMark> out;
        while (q.executeStep()) {
            out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt64(),
                           q.getColumn(3).getInt()});
        }
        return out;
    } catch (const SQLite::Exception& e) {
        return storage_error(e);
    }
}

Result<bool> ShopifyMetafieldQueue::written(const MetafieldMark& mark) {
    try {
        SQLite::Statement done(m_db,
                               "DELETE FROM shopify_metafield_queue WHERE shop_id = ? AND customer = ? AND generation = ?");
        done.bind(1, mark.shop_id);
        done.bind(2, mark.customer);
        done.bind(3, mark.generation);
        if (done.exec() > 0) return true;
        // Marked again while we wrote: the newer values go out after their own quiet period.
        SQLite::Statement again(m_db,
                                "UPDATE shopify_metafield_queue SET first_marked_ms = last_marked_ms, attempts = 0, "
                                "next_attempt_ms = 0, last_error = '' WHERE shop_id = ? AND customer = ?");
        again.bind(1, mark.shop_id);
        again.bind(2, mark.customer);
        again.exec();
        return false;
    } catch (const SQLite::Exception& e) {
        return storage_error(e);
    }
}

Result<bool> ShopifyMetafieldQueue::failed(const MetafieldMark& mark, std::int64_t next_attempt_ms,
                                           const std::string& why) {
    try {
        SQLite::Statement q(m_db,
                            "UPDATE shopify_metafield_queue SET attempts = attempts + 1, next_attempt_ms = ?, "
                            "last_error = ? WHERE shop_id = ? AND customer = ?");
        q.bind(1, next_attempt_ms);
        q.bind(2, why.substr(0, 500));
        q.bind(3, mark.shop_id);
        q.bind(4, mark.customer);
        return q.exec() > 0;
    } catch (const SQLite::Exception& e) {
        return storage_error(e);
    }
}

Result<std::int64_t> ShopifyMetafieldQueue::size() {
    try {
        return m_db.execAndGet("SELECT COUNT(*) FROM shopify_metafield_queue").getInt64();
    } catch (const SQLite::Exception& e) {
        return storage_error(e);
    }
}

}  // namespace rewardd
