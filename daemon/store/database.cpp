// Database opening; SQLite exceptions become error values here.
#include "database.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <mutex>

#include "migrations.hpp"
#include "wal_write_gathering.hpp"

namespace rewardd {
namespace {

// SQLite's default makes every connection's page cache allocate (and write to) 20 pages up front
// (SQLITE_DEFAULT_PCACHE_INITSZ), about 85 KiB resident per connection whether it ever reads a
// page or not; the daemon holds ten connections. Without the bulk allocation, pages are allocated
// one at a time as a connection reads them; cache_size limits are unchanged. Must run before
// SQLite initialises; if something in the process already did, SQLite refuses and nothing changes.
// Then the WAL-gathering VFS (wal_write_gathering.hpp); registering it initialises SQLite.
void configure_sqlite_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0);
        install_wal_write_gathering();
    });
}

}  // namespace

Error storage_error(const std::exception& e) {
    return make_error(ErrorCode::storage_unavailable, std::string("storage: ") + e.what());
}

std::string database_path(const std::string& data_dir) {
    return (std::filesystem::path(data_dir) / "rewardd.db").string();
}

Result<std::shared_ptr<SQLite::Database>> open_database(const DatabaseOptions& options) {
    configure_sqlite_once();
    try {
        if (!options.read_only) {
            const auto dir = std::filesystem::path(options.path).parent_path();
            if (!dir.empty()) std::filesystem::create_directories(dir);
        }
        const int flags = options.read_only ? SQLite::OPEN_READONLY
                                            : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE;
        auto db = std::make_shared<SQLite::Database>(options.path, flags | SQLite::OPEN_NOMUTEX,
                                                     options.busy_timeout_ms);
        if (!options.read_only) {
            db->exec("PRAGMA journal_mode = WAL");
            auto migrated = migrate(*db);
            if (!migrated) return migrated.error();
        }
        db->exec(options.durability == Durability::full ? "PRAGMA synchronous = FULL"
                                                        : "PRAGMA synchronous = NORMAL");
        db->exec("PRAGMA foreign_keys = ON");
        // The schema is parsed once per connection, and the sqlite_schema pages read for it would
        // stay in the connection's page cache for good (nothing evicts them before cache_size
        // pages are held): four pages per connection, most of which never read another page.
        db->exec("SELECT count(*) FROM sqlite_schema");
        sqlite3_db_release_memory(db->getHandle());
        return db;
    } catch (const std::exception& e) {
        return make_error(ErrorCode::storage_unavailable,
                          "cannot open database " + options.path + ": " + e.what());
    }
}

}  // namespace rewardd
