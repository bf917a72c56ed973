// Schema versions: a fresh database is migrated to the latest; a newer one is refused clearly;
// ledger rows cannot be updated or deleted.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <random>

#include "store/database.hpp"
#include "store/migrations.hpp"

using namespace rewardd;

namespace {

std::filesystem::path temp_db() {
    auto dir = std::filesystem::temp_directory_path() / ("rewardd-mig-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    return dir / "rewardd.db";
}

}  // namespace

TEST_CASE("a new database is created at the latest schema version in WAL mode") {
    const auto path = temp_db();
    auto db = open_database({path.string()});
    REQUIRE(db.ok());
    CHECK((*db)->execAndGet("PRAGMA user_version").getInt() == latest_schema_version());
    CHECK((*db)->execAndGet("PRAGMA journal_mode").getString() == "wal");
    std::filesystem::remove_all(path.parent_path());
}

TEST_CASE("a database made by a newer rewardd refuses to open, naming both versions") {
    const auto path = temp_db();
    {
        SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec("PRAGMA user_version = 999");
    }
    auto db = open_database({path.string()});
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().code == ErrorCode::schema_too_new);
    CHECK(db.error().message.find("999") != std::string::npos);
    std::filesystem::remove_all(path.parent_path());
}

TEST_CASE("ledger rows are append-only: UPDATE and DELETE are refused by the database") {
    const auto path = temp_db();
    auto db = open_database({path.string()});
    REQUIRE(db.ok());
    (*db)->exec("INSERT INTO ledger (key, customer, shop_id, order_id, kind, pending_delta, available_delta, "
                "rule_version, line_id, base_minor, currency, rate, rounding, event_id, effective_at, refers_to, "
                "reason, content_hash, recorded_at) VALUES ('k','c','s','o','adjust',0,5,0,'',0,'','','floor','',0,'','','h',0)");
    CHECK_THROWS((*db)->exec("UPDATE ledger SET available_delta = 500"));
    CHECK_THROWS((*db)->exec("DELETE FROM ledger"));
    CHECK((*db)->execAndGet("SELECT available_delta FROM ledger").getInt() == 5);
    std::filesystem::remove_all(path.parent_path());
}

TEST_CASE("v9 marks the batches applied before it as taken by order id, a new database none") {
    const auto path = temp_db();
    {
        auto db = open_database({path.string()});
        REQUIRE(db.ok());
        CHECK((*db)->execAndGet("SELECT by_order_id_through FROM apply_order_change").getInt() == 0);
        // Back to v8, with 42 events applied by then (v10's and v11's tables, v12's index go too).
        (*db)->exec("DROP TABLE apply_order_change; DROP TABLE woocommerce_refunds; DROP TABLE order_sweeps; "
                    "DROP INDEX shopify_metafield_queue_next; UPDATE apply_cursor SET seq = 42; PRAGMA user_version = 8");
    }
    auto db = open_database({path.string()});
    REQUIRE(db.ok());
    CHECK((*db)->execAndGet("PRAGMA user_version").getInt() == latest_schema_version());
    CHECK((*db)->execAndGet("SELECT by_order_id_through FROM apply_order_change").getInt() == 42);
    CHECK((*db)->tableExists("woocommerce_refunds"));
    CHECK((*db)->tableExists("order_sweeps"));
    std::filesystem::remove_all(path.parent_path());
}

TEST_CASE("v13 keeps the Shopify sweeps' marks in the table both platforms' sweeps share") {
    const auto path = temp_db();
    {
        auto db = open_database({path.string()});
        REQUIRE(db.ok());
        // Back to v12, with a Shopify shop swept up to a time.
        (*db)->exec("ALTER TABLE order_sweeps RENAME TO shopify_order_sweeps; "
                    "INSERT INTO shopify_order_sweeps VALUES ('s1', 1765000000); PRAGMA user_version = 12");
    }
    auto db = open_database({path.string()});
    REQUIRE(db.ok());
    CHECK((*db)->execAndGet("PRAGMA user_version").getInt() == latest_schema_version());
    CHECK_FALSE((*db)->tableExists("shopify_order_sweeps"));
    CHECK((*db)->execAndGet("SELECT swept_until FROM order_sweeps WHERE shop_id = 's1'").getInt64() == 1765000000);
    std::filesystem::remove_all(path.parent_path());
}
