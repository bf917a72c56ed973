// Opening the SQLite database: WAL, the configured durability, a busy timeout, migrations.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <string>

#include "core/result.hpp"

namespace rewardd {

// full: every commit is fsync'd before it returns (a 2xx then survives power loss).
// normal: WAL commits are fsync'd at checkpoints only (faster, may lose the last commits on
// power loss, never corrupts). The config key `durability` chooses.
enum class Durability { full, normal };

struct DatabaseOptions {
    std::string path;
    Durability durability = Durability::full;
    int busy_timeout_ms = 5000;
    bool read_only = false;
};

Result<std::shared_ptr<SQLite::Database>> open_database(const DatabaseOptions& options);

// An SQLite exception as the storage error callers answer 503 with.
Error storage_error(const std::exception& e);

// "<data dir>/rewardd.db"
std::string database_path(const std::string& data_dir);

}  // namespace rewardd
