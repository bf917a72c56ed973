// Backup and restore of the whole database. A backup uses SQLite's online backup API, so it is a
// consistent snapshot even while `serve` keeps writing. A restore replaces the database file and
// is refused while a daemon runs on the data folder (it would keep writing to the old file).
#pragma once

#include <SQLiteCpp/Database.h>

#include <string>

#include "core/result.hpp"

namespace rewardd {

struct BackupSummary {
    int schema_version = 0;
    std::int64_t events = 0;
    std::int64_t ledger_entries = 0;
};

// Writes a snapshot of `db` to `target` (refuses to overwrite an existing file).
Result<BackupSummary> backup_database(SQLite::Database& db, const std::string& target);

// Checks that `source` is an intact rewardd database this build understands, then makes it the
// database of `data_dir`. Refused while a daemon holds the data folder.
Result<BackupSummary> restore_database(const std::string& source, const std::string& data_dir);

}  // namespace rewardd
