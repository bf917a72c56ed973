// The metafield queue coalesces: marks of one customer keep one row, the row is due only after a
// quiet period (or the longest delay), and a write that read an older mark leaves the row for the
// newer values.
#include <doctest/doctest.h>

#include "store/database.hpp"
#include "store/shopify_customers.hpp"
#include "store/shopify_metafield_queue.hpp"
#include "support/daemon_process.hpp"

using namespace rewardd;

namespace {

std::shared_ptr<SQLite::Database> fresh_db(const test::TempDir& dir) {
    auto db = open_database({database_path(dir.str()), Durability::normal});
    REQUIRE(db);
    return *db;
}

}  // namespace

TEST_CASE("a burst of marks is one row, due once quiet, and a stale write leaves the newer mark") {
    test::TempDir dir;
    auto db = fresh_db(dir);
    ShopifyCustomers customers(*db);
    REQUIRE(customers.remember("s1", "bob@example.com", "207119551", 100));
    REQUIRE(customers.remember("s2", "bob@example.com", "9", 100));
    ShopifyMetafieldQueue queue(*db);
    CHECK(*queue.mark("nobody@example.com", 1000) == 0);  // no Shopify id known: nothing to write
    for (int i = 0; i < 10; ++i) REQUIRE(*queue.mark("bob@example.com", 1000 + i * 100));
    CHECK(*queue.size() == 2);  // one per shop that knows bob
    CHECK(queue.due(2000, 500, 60000, 10)->empty());  // last mark at 1900: not quiet yet
    auto due = queue.due(2400, 500, 60000, 10);
    REQUIRE(due);
    REQUIRE(due->size() == 2);
    CHECK(due->front().generation == 10);
    CHECK(queue.due(1950, 500, 900, 10)->size() == 2);  // not quiet, but the first mark waited long enough

    const MetafieldMark read = due->front();
    REQUIRE(queue.mark("bob@example.com", 2500));  // a change while the write was in flight
    CHECK_FALSE(*queue.written(read));
    CHECK(*queue.size() == 2);
    CHECK(queue.due(2600, 500, 60000, 10)->empty());  // both shops' rows wait for the new quiet period
    auto again = queue.due(3100, 500, 60000, 10);
    REQUIRE(again->size() == 2);
    for (const auto& m : *again) CHECK(*queue.written(m));
    CHECK(*queue.size() == 0);
}

TEST_CASE("a failed write waits for its retry time, erasure forgets the customer's ids and marks") {
    test::TempDir dir;
    auto db = fresh_db(dir);
    ShopifyCustomers customers(*db);
    REQUIRE(customers.remember("s1", "bob@example.com", "207119551", 100));
    CHECK(*customers.find("s1", "bob@example.com") == "207119551");
    CHECK(*customers.find("s1", "shop:s1:customer:42") == "42");  // a customer known without e-mail
    CHECK(customers.find("s2", "bob@example.com")->empty());
    ShopifyMetafieldQueue queue(*db);
    REQUIRE(queue.mark("bob@example.com", 1000));
    const auto due = queue.due(5000, 500, 60000, 10);
    REQUIRE(due->size() == 1);
    REQUIRE(queue.failed(due->front(), 9000, "503"));
    CHECK(queue.due(8999, 500, 60000, 10)->empty());
    REQUIRE(queue.due(9000, 500, 60000, 10)->size() == 1);
    CHECK(queue.due(9000, 500, 60000, 10)->front().attempts == 1);
    REQUIRE(customers.forget("bob@example.com"));
    CHECK(customers.find("s1", "bob@example.com")->empty());
    CHECK(*queue.size() == 0);
}
