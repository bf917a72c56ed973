// The WAL-gathering VFS: a commit reaches the WAL file in two writes, other connections read it at
// every synchronous level, nothing of a commit waits in a buffer after it, big transactions (spilled and rewritten frames) read back whole, and
// idle buffers are freed.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <filesystem>
#include <random>
#include <string>

#include "store/database.hpp"
#include "store/wal_write_gathering.hpp"

using namespace rewardd;

namespace {

struct TempDb {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("rewardd-walg-" + std::to_string(std::random_device{}()));
    TempDb() { std::filesystem::create_directories(dir); }
    ~TempDb() { std::filesystem::remove_all(dir); }
    std::string path() const { return (dir / "t.db").string(); }
};

SQLite::Database open_raw(const std::string& path) {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode = WAL");
    return db;
}

// Rows of `size` bytes each, in one transaction.
void insert_rows(SQLite::Database& db, int rows, int size, int first_id) {
    SQLite::Transaction tx(db);
    SQLite::Statement insert(db, "INSERT INTO t (id, body) VALUES (?, ?)");
    for (int i = 0; i < rows; ++i) {
        insert.bind(1, first_id + i);
        insert.bind(2, std::string(static_cast<std::size_t>(size), static_cast<char>('a' + i % 26)));
        insert.exec();
        insert.reset();
    }
    tx.commit();
}

long long total_length(SQLite::Database& db) {
    return db.execAndGet("SELECT COALESCE(SUM(LENGTH(body)), 0) FROM t").getInt64();
}

}  // namespace

TEST_CASE("a commit reaches the WAL file in two writes and other connections read it, at every synchronous level") {
    REQUIRE(install_wal_write_gathering());
    REQUIRE(std::string(sqlite3_vfs_find(nullptr)->zName) == "rewardd-wal-gathering");
    for (const std::string level : {"OFF", "NORMAL", "FULL"}) {
        CAPTURE(level);
        TempDb tmp;
        auto writer = open_raw(tmp.path());
        writer.exec("PRAGMA synchronous = " + level);
        writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)");
        auto reader = open_raw(tmp.path());
        CHECK(total_length(reader) == 0);  // the reader has the WAL open before the commits below

        insert_rows(writer, 1, 100, 0);  // starts the WAL (its header is synced on its own at FULL)
        const auto before = wal_write_counts();
        insert_rows(writer, 20, 3000, 1);  // about 20 pages: 40 writes asked of the WAL file
        const auto after = wal_write_counts();
        CHECK(after.asked - before.asked >= 40);
        CHECK(after.written - before.written == 2);  // the frames through the commit header, its page
        CHECK(wal_buffers().unwritten == 0);

        // Without the writes at the commit frame, a reader at synchronous=OFF or NORMAL would
        // find the frames the WAL index names missing from the file.
        CHECK(total_length(reader) == 100 + 20 * 3000);
        CHECK(reader.execAndGet("SELECT COUNT(*) FROM t").getInt() == 21);
    }
}

TEST_CASE("a transaction bigger than the page cache, with spilled and rewritten frames, is all in the file at its commit") {
    REQUIRE(install_wal_write_gathering());
    TempDb tmp;
    {
        auto db = open_raw(tmp.path());
        db.exec("PRAGMA synchronous = NORMAL");  // no sync at the commit to write out what waits
        db.exec("PRAGMA wal_autocheckpoint = 0");  // nor a checkpoint reading the WAL after it
        db.exec("PRAGMA cache_size = 10");  // pages spill to the WAL mid-transaction
        db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)");
        SQLite::Transaction tx(db);
        SQLite::Statement insert(db, "INSERT INTO t (id, body) VALUES (?, ?)");
        for (int i = 0; i < 2000; ++i) {
            insert.bind(1, i);
            insert.bind(2, std::string(1500, static_cast<char>('a' + i % 26)));
            insert.exec();
            insert.reset();
        }
        // Spilled pages changed again in the same transaction: SQLite rewrites their frames in place.
        db.exec("UPDATE t SET body = body || 'x' WHERE id % 3 = 0");
        tx.commit();
        // SQLite rewrote the checksums of the frames after the first rewritten one, the commit
        // frame's header last, and wrote nothing after it.
        CHECK(wal_buffers().unwritten == 0);
        CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
        CHECK(total_length(db) == 2000 * 1500 + 667);
    }
    auto again = open_raw(tmp.path());  // after the last connection closed: SQLite checkpointed the WAL then
    CHECK(total_length(again) == 2000 * 1500 + 667);
    again.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    CHECK(again.execAndGet("PRAGMA integrity_check").getString() == "ok");
    CHECK(again.execAndGet("SELECT COUNT(*) FROM t WHERE LENGTH(body) = 1501").getInt() == 667);
}

TEST_CASE("the gathering buffers of idle WAL files are freed on request") {
    REQUIRE(install_wal_write_gathering());
    TempDb tmp;
    auto db = open_raw(tmp.path());
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)");
    insert_rows(db, 10, 3000, 0);
    CHECK(wal_buffers().reserved >= 10 * 3000);
    release_idle_wal_buffers();
    CHECK(wal_buffers().reserved == 0);
    insert_rows(db, 10, 3000, 10);  // and the file still takes writes
    CHECK(total_length(db) == 20 * 3000);
}
