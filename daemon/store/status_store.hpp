// The few numbers GET /api/v1/status reports: how many shops, how many rewards still wait in the
// outbox, and when each shop last sent an event. Read-only queries over existing tables.
#pragma once

#include <SQLiteCpp/Database.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/timestamp.hpp"

namespace rewardd {

struct DaemonStatus {
    std::int64_t outbox_backlog = 0;  // rewards not delivered yet (pending or parked)
    // Every registered shop, with the receive time of its newest stored event (none: nullopt).
    std::map<std::string, std::optional<Timestamp>> last_event_at;
};

Result<DaemonStatus> read_daemon_status(SQLite::Database& db);

}  // namespace rewardd
