#include "backup.hpp"

#include <SQLiteCpp/Backup.h>

#include <filesystem>

#include "data_dir_lock.hpp"
#include "database.hpp"
#include "migrations.hpp"

namespace fs = std::filesystem;

namespace rewardd {
namespace {

// What a file holds, or why it is not a usable rewardd database.
Result<BackupSummary> inspect(SQLite::Database& db, const std::string& name) {
    BackupSummary s;
    s.schema_version = db.execAndGet("PRAGMA user_version").getInt();
    if (s.schema_version == 0 || !db.tableExists("ledger") || !db.tableExists("events")) {
        return make_error(ErrorCode::invalid_field, name + " is not a rewardd database", "FILE");
    }
    if (s.schema_version > latest_schema_version()) {
        return make_error(ErrorCode::schema_too_new,
                          name + " has schema version " + std::to_string(s.schema_version) +
                              ", newer than this rewardd understands (" + std::to_string(latest_schema_version()) + ")",
                          "FILE");
    }
    const std::string integrity = db.execAndGet("PRAGMA integrity_check").getString();
    if (integrity != "ok") {
        return make_error(ErrorCode::invalid_field, name + " fails SQLite's integrity check: " + integrity, "FILE");
    }
    s.events = db.execAndGet("SELECT COUNT(*) FROM events").getInt64();
    s.ledger_entries = db.execAndGet("SELECT COUNT(*) FROM ledger").getInt64();
    return s;
}

// Copies every page of `from` into `to` in one step.
void copy_pages(SQLite::Database& from, SQLite::Database& to) {
    SQLite::Backup backup(to, from);
    backup.executeStep(-1);
}

}  // namespace

Result<BackupSummary> backup_database(SQLite::Database& db, const std::string& target) {
    if (fs::exists(target)) {
        return make_error(ErrorCode::invalid_field, target + " already exists; choose a new file name", "FILE");
    }
    try {
        SQLite::Database out(target, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        copy_pages(db, out);
        return inspect(out, target);
    } catch (const SQLite::Exception& e) {
        std::error_code ignored;
        fs::remove(target, ignored);  // never leave half a backup behind
        return make_error(ErrorCode::storage_unavailable, "backup to " + target + " failed: " + e.what(), "FILE");
    }
}

Result<BackupSummary> restore_database(const std::string& source, const std::string& data_dir) {
    if (DataDirLock::held_by_another_process(data_dir)) {
        return make_error(ErrorCode::invalid_field,
                          "a rewardd daemon is running on " + data_dir + "; stop it before restoring", "data_dir");
    }
    if (!fs::exists(source)) return make_error(ErrorCode::not_found, source + " does not exist", "FILE");
    const std::string target = database_path(data_dir);
    const std::string staging = target + ".restoring";
    try {
        SQLite::Database in(source, SQLite::OPEN_READONLY);
        auto summary = inspect(in, source);
        if (!summary) return summary;
        fs::create_directories(data_dir);
        fs::remove(staging);
        {
            SQLite::Database out(staging, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            copy_pages(in, out);
        }
        // The old database's WAL must not be replayed onto the restored file.
        for (const char* suffix : {"-wal", "-shm"}) fs::remove(target + suffix);
        fs::rename(staging, target);  // atomic: the old database or the new one, never half
        return summary;
    } catch (const std::exception& e) {
        std::error_code ignored;
        fs::remove(staging, ignored);
        return make_error(ErrorCode::storage_unavailable, "restore from " + source + " failed: " + e.what(), "FILE");
    }
}

}  // namespace rewardd
