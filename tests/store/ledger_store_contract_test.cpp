// One contract suite for the LedgerStore interface, run against SQLite and the in-memory store.
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <random>

#include "core/history_generator.hpp"
#include "ingest/ledger_applier.hpp"
#include "adapters/neutral/event_json.hpp"
#include "store/database.hpp"
#include "store/memory_store.hpp"
#include "store/sqlite_store.hpp"

using namespace rewardd;

namespace {

struct SqliteFixture {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("rewardd-store-" + std::to_string(std::random_device{}()));
    std::unique_ptr<LedgerStore> store;
    SqliteFixture() {
        auto db = open_database({(dir / "rewardd.db").string(), Durability::normal});
        REQUIRE(db.ok());
        store = std::make_unique<SqliteStore>(*db);
    }
    ~SqliteFixture() { std::filesystem::remove_all(dir); }
};

struct MemoryFixture {
    std::unique_ptr<LedgerStore> store = std::make_unique<MemoryStore>();
};

InboxEvent inbox(const std::string& id, const std::string& order = "1") {
    return {0, "shop1", id, "order.paid", order, 100, 200, "{}"};
}

LedgerEntry entry(const std::string& key, std::int64_t points) {
    LedgerEntry e;
    e.key = key;
    e.customer = "kari@example.com";
    e.shop_id = "shop1";
    e.order_id = "1";
    e.kind = EntryKind::earn_pending;
    e.pending_delta = points;
    return e;
}

InboxEvent stored(const rewardd::test::GeneratedEvent& g) {
    const Event& e = g.event;
    return {0, e.shop_id, e.id, event_type_id(e.type), e.order->id, e.occurred_at, g.received_at, event_to_json(e)};
}

}  // namespace

TEST_CASE_TEMPLATE("a store keeps each (shop, event id) once and reports repeats as duplicates", F,
                   SqliteFixture, MemoryFixture) {
    F f;
    auto first = f.store->append_events({inbox("e1"), inbox("e2")});
    REQUIRE(first.ok());
    CHECK((*first)[0] == Appended::inserted);
    auto again = f.store->append_events({inbox("e2"), inbox("e3")});
    CHECK((*again)[0] == Appended::duplicate);
    CHECK((*again)[1] == Appended::inserted);
    CHECK(*f.store->event_count() == 3);
    auto after = f.store->events_after(1, 10);
    REQUIRE(after->size() == 2);
    CHECK((*after)[0].event_id == "e2");
    CHECK(f.store->order_events("shop1", "1")->size() == 3);
}

TEST_CASE_TEMPLATE("a ledger entry with the same key is kept once; other content is a conflict", F,
                   SqliteFixture, MemoryFixture) {
    F f;
    CHECK(*f.store->append_entry(entry("k1", 10), 1) == EntryWrite::inserted);
    CHECK(*f.store->append_entry(entry("k1", 10), 2) == EntryWrite::existed);
    CHECK(*f.store->append_entry(entry("k1", 11), 3) == EntryWrite::conflict);
    const auto all = f.store->all_entries();
    REQUIRE(all->size() == 1);
    CHECK((*all)[0].pending_delta == 10);
    CHECK(f.store->customer_entries("kari@example.com")->size() == 1);
}

TEST_CASE_TEMPLATE("a failed write transaction leaves nothing behind", F, SqliteFixture, MemoryFixture) {
    F f;
    auto result = f.store->write_transaction([&]() -> Result<bool> {
        f.store->append_entry(entry("k1", 10), 1);
        f.store->set_applied_cursor(5);
        return make_error(ErrorCode::storage_unavailable, "simulated failure");
    });
    CHECK_FALSE(result.ok());
    CHECK(f.store->all_entries()->empty());
    CHECK(*f.store->applied_cursor() == 0);
}

TEST_CASE_TEMPLATE("wake-ups come back when due and customers are found by e-mail or id", F,
                   SqliteFixture, MemoryFixture) {
    F f;
    f.store->set_wakeup({"shop1", "1", 100});
    f.store->set_wakeup({"shop1", "2", 300});
    CHECK(f.store->due_wakeups(200, 10)->size() == 1);
    f.store->clear_wakeup("shop1", "1");
    CHECK(f.store->due_wakeups(200, 10)->empty());
    auto c = f.store->remember_customer("kari@example.com", "kari@example.com", 5);
    REQUIRE(c.ok());
    CHECK(f.store->remember_customer("kari@example.com", "kari@example.com", 9)->id == c->id);
    CHECK((*f.store->find_customer(std::to_string(c->id)))->key == "kari@example.com");
    CHECK((*f.store->find_customer("kari@example.com"))->first_seen_at == 5);
    CHECK_FALSE(f.store->find_customer("nobody@example.com")->has_value());
}

TEST_CASE_TEMPLATE("the applier in batches builds the same ledger as a rebuild, and the balance is the sum", F,
                   SqliteFixture, MemoryFixture) {
    F f;
    const auto log = rewardd::test::generate_history(2000, 11);
    const Timestamp end = log.back().received_at + 60 * k_seconds_per_day;
    auto engine = std::make_shared<const RewardEngine>(RuleBook{{Rules{}}});
    LedgerApplier applier(*f.store, engine);
    std::mt19937 rng(5);
    for (std::size_t i = 0; i < log.size();) {
        std::vector<InboxEvent> batch;
        const std::size_t n = 1 + rng() % 50;
        for (std::size_t k = 0; k < n && i < log.size(); ++k, ++i) batch.push_back(stored(log[i]));
        REQUIRE(f.store->append_events(batch).ok());
        REQUIRE(applier.apply_next(1 + rng() % 64, batch.back().received_at).ok());
    }
    REQUIRE(applier.apply_all(100, end).ok());
    REQUIRE(applier.release_due(1000000, end).ok());

    MemoryStore fresh;
    for (const auto& g : log) fresh.append_events({stored(g)});
    LedgerApplier rebuild(fresh, engine);
    REQUIRE(rebuild.apply_all(100000, end).ok());

    auto live = f.store->all_entries();
    auto replayed = fresh.all_entries();
    std::map<std::string, LedgerEntry> a, b;
    for (auto& e : *live) a.emplace(e.key, e);
    for (auto& e : *replayed) b.emplace(e.key, e);
    CHECK(a.size() == live->size());
    CHECK(a == b);

    Balance sum;
    for (const auto& e : *f.store->customer_entries("c1@example.com")) add_to_balance(sum, e);
    Balance from_map;
    for (const auto& [_, e] : a) {
        if (e.customer == "c1@example.com") add_to_balance(from_map, e);
    }
    CHECK(sum == from_map);
}
