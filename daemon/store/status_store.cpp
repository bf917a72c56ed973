// Status queries; `events_shop_received` (migration v4) keeps the per-shop lookup cheap.
#include "status_store.hpp"

#include <SQLiteCpp/Statement.h>

namespace rewardd {

Result<DaemonStatus> read_daemon_status(SQLite::Database& db) {
    try {
        DaemonStatus status;
        status.outbox_backlog = db.execAndGet("SELECT COUNT(*) FROM outbox WHERE status != 'delivered'").getInt64();
        SQLite::Statement q(db,
                            "SELECT s.id, (SELECT MAX(e.received_at) FROM events e WHERE e.shop_id = s.id) "
                            "FROM shops s ORDER BY s.id");
        while (q.executeStep()) {
            const auto at = q.getColumn(1);
            status.last_event_at[q.getColumn(0).getString()] =
                at.isNull() ? std::nullopt : std::optional<Timestamp>(at.getInt64());
        }
        return status;
    } catch (const std::exception& e) {
        return make_error(ErrorCode::storage_unavailable, std::string("storage: ") + e.what());
    }
}

}  // namespace rewardd
