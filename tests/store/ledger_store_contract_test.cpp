// One contract suite for the LedgerStore interface, run against SQLite and the in-memory store.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "core/history_generator.hpp"
#include "core/mixed_history.hpp"
#include "core/referral_code.hpp"
#include "ingest/batch_writer.hpp"
#include "ingest/ledger_applier.hpp"
#include "ingest/referral_index.hpp"
#include "http/inbox_event.hpp"
#include "store/database.hpp"
#include "store/memory_store.hpp"
#include "store/privacy_store.hpp"
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
    // A second connection to the same database: another writer, such as a CLI adjustment.
    LedgerStore& other_connection() {
        if (!other) {
            auto db = open_database({(dir / "rewardd.db").string(), Durability::normal});
            REQUIRE(db.ok());
            other = std::make_unique<SqliteStore>(*db);
        }
        return *other;
    }
    std::unique_ptr<LedgerStore> other;
};

struct MemoryFixture {
    std::unique_ptr<LedgerStore> store = std::make_unique<MemoryStore>();
    LedgerStore& other_connection() { return *store; }  // one process, one store
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

InboxEvent stored(const rewardd::test::GeneratedEvent& g) { return to_inbox(g.event, g.received_at); }

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

TEST_CASE_TEMPLATE("a ledger entry with the same key is kept once, other content is a conflict", F,
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

// Every field different from its default and from the other entries', so a column read into the
// wrong field or left out shows.
LedgerEntry full_entry(int n, const std::string& customer) {
    LedgerEntry e;
    e.key = "key-" + std::to_string(n) + "-long-enough-to-leave-the-small-string-buffer";
    e.customer = customer;
    e.shop_id = "shop" + std::to_string(n);
    e.order_id = "order" + std::to_string(n);
    e.kind = n % 2 ? EntryKind::claw_back : EntryKind::release;
    e.pending_delta = -10 - n;
    e.available_delta = 20 + n;
    e.rule_version = 3 + n;
    e.line_id = "line" + std::to_string(n);
    e.base_minor = 12345 + n;
    e.currency = n % 2 ? "NOK" : "JPY";
    e.rate = std::to_string(n) + "/7";
    e.rounding = Rounding::half_up;
    e.event_id = "event-" + std::to_string(n);
    e.effective_at = 1700000000 + n;
    e.refers_to = "refers-" + std::to_string(n);
    e.reason = "reason " + std::to_string(n);
    return e;
}

TEST_CASE_TEMPLATE("a customer's entries read back equal to what was written, oldest first", F,
                   SqliteFixture, MemoryFixture) {
    F f;
    std::vector<LedgerEntry> kari;
    for (int n = 0; n < 40; ++n) {
        const auto e = full_entry(n, n % 4 == 3 ? "ola@example.com" : "kari@example.com");
        REQUIRE(*f.store->append_entry(e, 1) == EntryWrite::inserted);
        if (e.customer == "kari@example.com") kari.push_back(e);
    }
    CHECK(*f.store->customer_entries("kari@example.com") == kari);
    CHECK(f.store->customer_entries("ola@example.com")->size() == 10);
    CHECK(f.store->customer_entries("nobody@example.com")->empty());
}

TEST_CASE_TEMPLATE("a failed write transaction leaves nothing behind", F, SqliteFixture, MemoryFixture) {
    F f;
    auto result = f.store->write_transaction([&]() -> Result<bool> {
        f.store->append_entry(entry("k1", 10), 1);
        f.store->set_applied_cursor(5, 2);
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
    CHECK((*f.store->find_customer(std::to_string(c->id))).value().key == "kari@example.com");
    CHECK((*f.store->find_customer("kari@example.com"))->first_seen_at == 5);
    CHECK_FALSE(f.store->find_customer("nobody@example.com")->has_value());
    f.store->remember_customer("shop:s1:customer:9", "", 6);
    const auto all = *f.store->customers_after(0);
    REQUIRE(all.size() == 2);
    CHECK(all[0].key == "kari@example.com");
    CHECK(all[1].key == "shop:s1:customer:9");
    const auto newer = *f.store->customers_after(all[0].id);
    REQUIRE(newer.size() == 1);
    CHECK(newer[0].key == "shop:s1:customer:9");
}

TEST_CASE_TEMPLATE("the referral index finds customers who arrive after its first lookup, per shop", F, SqliteFixture,
                   MemoryFixture) {
    F f;
    ReferralIndex index;
    f.store->remember_customer("anna@example.com", "anna@example.com", 1);
    CHECK((*index.find(*f.store, "s1", referral_code("s1", "anna@example.com"))).value().key == "anna@example.com");
    CHECK_FALSE(index.find(*f.store, "s1", referral_code("s1", "bo@example.com"))->has_value());
    f.store->remember_customer("bo@example.com", "bo@example.com", 2);
    CHECK((*index.find(*f.store, "s1", " " + referral_code("s1", "bo@example.com") + " "))->key == "bo@example.com");
    CHECK_FALSE(index.find(*f.store, "s2", referral_code("s1", "bo@example.com"))->has_value());
    CHECK((*index.find(*f.store, "s2", referral_code("s2", "bo@example.com"))).value().key == "bo@example.com");
    CHECK_FALSE(index.find(*f.store, "s1", "TENOFF")->has_value());
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

// The order in which a batch's events meet the ledger shows in the points: under tiers an order
// earns at the tier its customer's orders already in the ledger give, and a referral code resolves
// among the customers known by then. This stored history, applied (all at one late time, so
// nothing waits for a release) in batches of 1, 37 or everything at once, gives one ledger: a batch
// takes its events as they arrived. (Not every history would: an order with several events in one
// batch is applied at its first, so a fact of another order arriving between them comes later.)
TEST_CASE_TEMPLATE("under a program's rules, a history applied in batches of any size gives one ledger", F,
                   SqliteFixture, MemoryFixture) {
    // A program's history (registrations, adjustments, referrals, refunds), its events only.
    const auto history = rewardd::test::generate_mixed_history(2000, 42, 100);  // about 20 events a customer
    std::vector<InboxEvent> log;
    for (const auto& step : history.steps) {
        if (step.kind == rewardd::test::StepKind::event) log.push_back(to_inbox(step.event, step.at));
    }
    const Timestamp end = log.back().received_at + 60 * k_seconds_per_day;
    auto engine = std::make_shared<const RewardEngine>(history.rules);
    std::vector<std::map<std::string, LedgerEntry>> ledgers;
    for (const std::size_t batch : {std::size_t{1}, std::size_t{37}, log.size()}) {
        CAPTURE(batch);
        F f;
        for (const auto& e : log) REQUIRE(f.store->append_events({e}).ok());
        LedgerApplier applier(*f.store, engine);
        REQUIRE(applier.apply_all(batch, end).ok());
        auto entries = f.store->all_entries();
        REQUIRE(entries.ok());
        std::map<std::string, LedgerEntry> by_key;
        for (auto& e : *entries) by_key.emplace(e.key, e);
        REQUIRE(by_key.size() > log.size());
        ledgers.push_back(std::move(by_key));
    }
    CHECK(ledgers[0] == ledgers[2]);
    CHECK(ledgers[1] == ledgers[2]);
}

// The applier keeps customers' ledgers between batches. An entry it did not write itself (a
// redemption's reserve, a CLI adjustment: on its own connection or on another) must reach the
// next batch's walks: here it spends part of a lot, so the lot's expiry takes only the rest.
TEST_CASE_TEMPLATE("an applier keeping ledgers between batches writes what a cold one does, outside writes included",
                   F, SqliteFixture, MemoryFixture) {
    Rules rules;
    rules.expiry.lifetime_days = 30;
    const auto engine = std::make_shared<const RewardEngine>(RuleBook{{rules}});
    const Timestamp t0 = 1795341600, day = k_seconds_per_day;
    auto run = [&](F& f, LedgerApplier& applier, bool same_connection) {
        auto paid = [&](const std::string& order_id, Timestamp at) {
            const auto o = rewardd::test::make_order(order_id, "NOK", {{"l1", 10000}}, 0, 0, 0, "anna@example.com");
            const rewardd::test::GeneratedEvent g{
                rewardd::test::order_event(EventType::order_paid, "paid-" + order_id, at, o), at};
            REQUIRE(f.store->append_events({stored(g)}).ok());
            REQUIRE(applier.apply_next(100, at).ok());
        };
        paid("a1", t0);
        REQUIRE(applier.release_due(100, t0 + 15 * day).ok());  // a1's points become a lot
        LedgerEntry spent;
        spent.key = "shop1:adjust:outside";
        spent.customer = "anna@example.com";
        spent.shop_id = "shop1";
        spent.kind = EntryKind::adjust;
        spent.available_delta = -40;
        spent.effective_at = t0 + 16 * day;
        LedgerStore& writer = same_connection ? *f.store : f.other_connection();
        REQUIRE(writer.append_entry(spent, t0 + 16 * day).ok());
        paid("a2", t0 + 17 * day);  // walks anna's ledger again
        REQUIRE(applier.release_due(100, t0 + 60 * day).ok());  // a1's lot expires
    };
    auto by_key = [](LedgerStore& store) {
        auto entries = store.all_entries();  // kept: the loop reads into it
        REQUIRE(entries.ok());
        std::map<std::string, LedgerEntry> out;
        for (auto& e : *entries) out.emplace(e.key, std::move(e));
        return out;
    };
    for (const bool same_connection : {true, false}) {
        CAPTURE(same_connection);
        F warm_f, cold_f;
        LedgerApplier warm(*warm_f.store, engine), cold(*cold_f.store, engine);
        cold.set_kept_entries_max(0);  // reads every ledger afresh in each batch
        run(warm_f, warm, same_connection);
        run(cold_f, cold, same_connection);
        const auto warm_ledger = by_key(*warm_f.store);
        CHECK(warm_ledger == by_key(*cold_f.store));

        const auto released = std::find_if(warm_ledger.begin(), warm_ledger.end(), [](const auto& kv) {
            return kv.second.kind == EntryKind::release && kv.second.order_id == "a1";
        });
        REQUIRE(released != warm_ledger.end());
        REQUIRE(released->second.available_delta > 40);
        const auto expired = warm_ledger.find(released->first + ":expire");
        REQUIRE(expired != warm_ledger.end());
        CHECK(expired->second.available_delta == -(released->second.available_delta - 40));
    }
}

// Anna's order a1 paid at t0 and half refunded two minutes later: the two batches of the kept-state
// tests below, with whatever each test does between them.
struct PaidThenRefunded {
    const Timestamp t0 = 1795341600;
    const Order order = rewardd::test::make_order("a1", "NOK", {{"l1", 10000}}, 0, 0, 0, "anna@example.com");
    rewardd::test::GeneratedEvent paid() const {
        return {rewardd::test::order_event(EventType::order_paid, "paid", t0, order), t0};
    }
    rewardd::test::GeneratedEvent refund() const {
        return {rewardd::test::refund_event("refund", t0 + 120, order, Refund{"r1", 5000, {{"l1", 1, 5000}}}),
                t0 + 120};
    }
};

// What an idle writer sheds to give memory back after a burst is only a cache: an applier that gave
// back everything it kept between the order's payment and its refund writes the same ledger as one
// that kept it all.
TEST_CASE("an applier that shed what it kept writes what it would have written") {
    const auto engine = std::make_shared<const RewardEngine>(RuleBook{{Rules{}}});
    const PaidThenRefunded history;
    auto run = [&](bool shed) {
        SqliteFixture f;
        LedgerApplier applier(*f.store, engine);
        REQUIRE(f.store->append_events({stored(history.paid())}).ok());
        REQUIRE(applier.apply_next(100, history.t0).ok());
        REQUIRE(applier.kept_count() > 0);
        if (shed) {
            applier.shed_kept();
            CHECK(applier.kept_count() == 0);
        }
        REQUIRE(f.store->append_events({stored(history.refund())}).ok());
        REQUIRE(applier.apply_next(100, history.t0 + 120).ok());
        auto entries = f.store->all_entries();
        REQUIRE(entries.ok());
        std::vector<std::pair<std::string, std::int64_t>> out;
        for (const auto& e : *entries) out.emplace_back(e.key, e.pending_delta + e.available_delta);
        return out;
    };
    const auto shed = run(true);
    CHECK(shed.size() == 2);  // the earn and the refund's claw-back
    CHECK(shed == run(false));
}

// The daemon's writer sheds once nothing has been committed or applied for its idle delay (30 s;
// here 100 ms), once per idle spell, and takes events as before afterwards.
TEST_CASE("an idle writer gives back what it keeps once per idle spell and applies as before afterwards") {
    const PaidThenRefunded history;
    SqliteFixture f;
    auto db = open_database({(f.dir / "rewardd.db").string(), Durability::full});
    REQUIRE(db.ok());
    BatchWriterOptions options;
    options.idle_shed_after_ms = 100;
    BatchWriter writer(*db, std::make_shared<const RewardEngine>(RuleBook{{Rules{}}}), options,
                       [&] { return history.t0 + 200; });
    // The threads the writer's loop wrote entries on, each numbered by its first entry (a thread id
    // may be reused by the next thread, a thread-local of its own is not).
    std::mutex threads_mutex;
    std::set<int> entry_threads;
    static std::atomic<int> threads_seen{0};
    writer.set_entry_hook([&](const LedgerEntry&, Timestamp) -> Result<bool> {
        thread_local const int number = ++threads_seen;
        std::lock_guard lock(threads_mutex);
        entry_threads.insert(number);
        return true;
    });
    std::atomic<int> request_side_sheds{0};  // what the daemon adds: its webhooks' and routes' connections
    writer.add_idle_shed([&] { ++request_side_sheds; });
    writer.start();
    auto sheds_reach = [&](std::uint64_t n) {
        for (int i = 0; i < 500 && writer.stats().idle_sheds < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return writer.stats().idle_sheds == n;
    };
    REQUIRE(writer.submit(stored(history.paid())).get().ok());
    REQUIRE(sheds_reach(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    CHECK(writer.stats().idle_sheds == 1);  // not again at every wake-up of the same spell
    CHECK(request_side_sheds == 1);

    REQUIRE(writer.submit(stored(history.refund())).get().ok());
    REQUIRE(sheds_reach(2));
    writer.stop();
    CHECK(request_side_sheds == 2);
    // The loop moved to a new thread at the shed (so that the old one's cache of freed blocks went
    // back to its arena before the trim): the refund's entry was written on another thread.
    CHECK(entry_threads.size() == 2);
    auto entries = f.store->all_entries();
    REQUIRE(entries.ok());
    CHECK(entries->size() == 2);  // the earn, then the refund's claw-back, applied after the shed
}

// While the store fails (here: locked by another connection), the writer sleeps between its probes,
// however long it lasts: neither a release check nor the idle shed falling due meanwhile may turn
// its loop into a spin. A spinning loop burns a whole core for the second measured; a sleeping one
// a few milliseconds.
TEST_CASE("a writer whose store fails sleeps between its probes, past its release checks and idle delay") {
    const PaidThenRefunded history;
    SqliteFixture f;
    auto db = open_database({(f.dir / "rewardd.db").string(), Durability::full, 50});
    REQUIRE(db.ok());
    BatchWriterOptions options;
    options.idle_shed_after_ms = 10;
    options.release_check_interval_ms = 20;
    BatchWriter writer(*db, std::make_shared<const RewardEngine>(RuleBook{{Rules{}}}), options,
                       [&] { return history.t0 + 200; });
    writer.start();
    auto locker = open_database({(f.dir / "rewardd.db").string(), Durability::full});
    REQUIRE(locker.ok());
    (*locker)->exec("BEGIN EXCLUSIVE");
    CHECK_FALSE(writer.submit(stored(history.paid())).get().ok());
    CHECK_FALSE(writer.healthy());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // both have fallen due by now
    auto cpu_seconds = [] {
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    };
    const double before = cpu_seconds();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    CHECK(cpu_seconds() - before < 0.3);
    (*locker)->exec("ROLLBACK");
    for (int i = 0; i < 500 && !writer.healthy(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(writer.healthy());
    writer.stop();
}

// The applier keeps orders' entries between batches, as it keeps ledgers. An entry written outside
// it under a key the order's walk writes next (here its refund's claw-back, on another connection)
// must be met as existing: the walk then keeps it and records no conflict, as a cold applier does.
TEST_CASE("an applier keeping orders' entries meets an entry written outside it for the order") {
    const auto engine = std::make_shared<const RewardEngine>(RuleBook{{Rules{}}});
    const PaidThenRefunded history;
    const Timestamp t0 = history.t0;
    auto run = [&](bool keep) {
        SqliteFixture f;
        LedgerApplier applier(*f.store, engine);
        if (!keep) applier.set_kept_entries_max(0);
        REQUIRE(f.store->append_events({stored(history.paid())}).ok());
        REQUIRE(applier.apply_next(100, t0).ok());
        auto earned = f.store->order_entries("shop1", "a1");
        REQUIRE(earned.ok());
        REQUIRE(earned->size() == 1);
        LedgerEntry outside = earned->front();
        outside.key = "shop1:order:a1:refund:r1:line:l1";
        outside.kind = EntryKind::claw_back;
        outside.pending_delta = -7;
        outside.refers_to = earned->front().key;
        outside.reason = "written outside the applier";
        REQUIRE(f.other_connection().append_entry(outside, t0 + 60).ok());
        REQUIRE(f.store->append_events({stored(history.refund())}).ok());
        REQUIRE(applier.apply_next(100, t0 + 120).ok());
        auto entries = f.store->all_entries();
        REQUIRE(entries.ok());
        std::vector<std::string> out;
        for (const auto& e : *entries) out.push_back(e.key + " " + std::to_string(e.pending_delta));
        auto db = open_database({(f.dir / "rewardd.db").string(), Durability::normal});
        REQUIRE(db.ok());
        out.push_back("conflicts recorded " +
                      std::to_string((*db)->execAndGet("SELECT COUNT(*) FROM conflicts").getInt64()));
        return out;
    };
    const auto kept = run(true);
    CHECK(kept == run(false));
    CHECK(kept.back() == "conflicts recorded 0");  // the outside claw-back was met, not written over
}

// The applier keeps parsed events between batches. A privacy erasure rewrites stored event bodies
// in place (same seq): the order's next apply must read the rewritten body, so the refund below
// is taken from the pseudonym's ledger, as an applier that parses every time takes it.
TEST_CASE("an applier keeping parsed events reads a body an erasure rewrote between batches") {
    const auto engine = std::make_shared<const RewardEngine>(RuleBook{{Rules{}}});
    const PaidThenRefunded history;
    const Timestamp t0 = history.t0;
    auto run = [&](bool keep) {
        SqliteFixture f;
        auto db = open_database({(f.dir / "rewardd.db").string(), Durability::normal});
        REQUIRE(db.ok());
        LedgerApplier applier(*f.store, engine);
        if (!keep) {
            applier.set_kept_events_max(0);
            applier.set_kept_entries_max(0);
        }
        REQUIRE(f.store->append_events({stored(history.paid())}).ok());
        REQUIRE(applier.apply_next(100, t0).ok());
        PrivacyStore privacy(**db);
        const auto erased = privacy.erase_customer({"shop1", "77", "anna@example.com"}, "test",
                                                   [] { return std::string("erased-1@erased.invalid"); }, t0 + 60);
        REQUIRE(erased.ok());
        REQUIRE(erased->events_scrubbed == 1);
        REQUIRE(f.store->append_events({stored(history.refund())}).ok());
        REQUIRE(applier.apply_next(100, t0 + 120).ok());
        auto entries = f.store->all_entries();
        REQUIRE(entries.ok());
        std::vector<std::pair<std::string, std::string>> out;  // key, customer
        for (const auto& e : *entries) out.emplace_back(e.key, e.customer);
        return out;
    };
    const auto kept = run(true);
    CHECK(kept == run(false));
    const auto claw_back = std::find_if(kept.begin(), kept.end(), [](const auto& e) {
        return e.first.find(":refund:r1:") != std::string::npos;
    });
    REQUIRE(claw_back != kept.end());
    CHECK(claw_back->second == "erased-1@erased.invalid");
}

// A registration that arrives after an order carrying the new customer's code, in the same batch,
// is not known to that order: the batch writes what the two events one by one would (refused).
TEST_CASE_TEMPLATE("a batch's events meet the ledger as they arrived, registrations among orders", F, SqliteFixture,
                   MemoryFixture) {
    Rules rules;
    rules.referral = {200, 500};
    const Timestamp t0 = 1795341600;
    auto order = rewardd::test::make_order("k1", "NOK", {{"l1", 10000}}, 0, 0, 0, "kari@example.com");
    order.referral_code = referral_code("shop1", "anna@example.com");
    Event registration;
    registration.shop_id = "shop1";
    registration.id = "reg-anna";
    registration.type = EventType::customer_created;
    registration.occurred_at = t0 + 60;
    registration.customer = CustomerRef{"", "anna@example.com"};
    const std::vector<InboxEvent> arrived = {
        stored({rewardd::test::order_event(EventType::order_paid, "paid-k1", t0, order), t0}),
        to_inbox(registration, t0 + 60)};
    std::vector<std::vector<std::string>> decisions;
    for (const std::size_t batch : {std::size_t{1}, std::size_t{2}}) {
        CAPTURE(batch);
        F f;
        REQUIRE(f.store->append_events(arrived).ok());
        LedgerApplier applier(*f.store, std::make_shared<const RewardEngine>(RuleBook{{rules}}));
        REQUIRE(applier.apply_all(batch, t0 + 120).ok());
        const auto entries = f.store->customer_entries("kari@example.com");
        REQUIRE(entries.ok());
        std::vector<std::string> keys;
        for (const auto& e : *entries) {
            if (e.kind == EntryKind::referral_reward || e.kind == EntryKind::referral_refused) keys.push_back(e.key);
        }
        decisions.push_back(keys);
    }
    CHECK(decisions[0] == std::vector<std::string>{"shop1:referral:kari@example.com:refused:k1"});
    CHECK(decisions[1] == decisions[0]);
}

// A referral program (a 200-point welcome, 500 to the referrer) over a store: each paid order of
// 100.00 NOK, with the code it carries, is stored and applied at once.
struct ReferralOrders {
    LedgerStore& store;
    LedgerApplier applier;
    explicit ReferralOrders(LedgerStore& s) : store(s), applier(s, engine()) {}
    static std::shared_ptr<const RewardEngine> engine() {
        Rules rules;
        rules.referral = {200, 500};
        return std::make_shared<const RewardEngine>(RuleBook{{rules}});
    }
    void paid(const std::string& order_id, const std::string& email, std::optional<std::string> code, Timestamp at) {
        auto o = rewardd::test::make_order(order_id, "NOK", {{"l1", 10000}}, 0, 0, 0, email);
        o.referral_code = std::move(code);
        const rewardd::test::GeneratedEvent g{rewardd::test::order_event(EventType::order_paid, "paid-" + order_id, at, o), at};
        REQUIRE(store.append_events({stored(g)}).ok());
        REQUIRE(applier.apply_all(10, at).ok());
    }
};

TEST_CASE_TEMPLATE("the applier resolves a referral code among the customers the store knows", F, SqliteFixture,
                   MemoryFixture) {
    F f;
    ReferralOrders orders(*f.store);
    auto& applier = orders.applier;
    const Timestamp t0 = 1795341600;
    orders.paid("a1", "anna@example.com", std::nullopt, t0);  // anna is known from her own entries
    orders.paid("k1", "kari@example.com", " " + referral_code("shop1", "anna@example.com") + " ", t0 + 60);
    orders.paid("o1", "ola@example.com", "R0000000000", t0 + 120);
    auto kinds = [&](const std::string& customer) {
        std::vector<std::string> out;
        const auto entries = f.store->customer_entries(customer);  // kept: the loop reads into it
        for (const auto& e : *entries) {
            if (e.kind == EntryKind::referral_reward || e.kind == EntryKind::referral_refused) {
                out.push_back(e.key + " " + std::to_string(e.pending_delta) + "/" + std::to_string(e.available_delta));
            }
        }
        return out;
    };
    CHECK(kinds("kari@example.com") == std::vector<std::string>{"shop1:referral:kari@example.com:welcome 200/0"});
    CHECK(kinds("anna@example.com") == std::vector<std::string>{"shop1:referral:kari@example.com:referrer 500/0"});
    CHECK(kinds("ola@example.com") == std::vector<std::string>{"shop1:referral:ola@example.com:refused:o1 0/0"});
    // The order's wake-up releases both rewards with its points.
    REQUIRE(applier.release_due(100, t0 + 15 * k_seconds_per_day).ok());
    CHECK(kinds("anna@example.com").back() == "shop1:referral:kari@example.com:referrer:release -500/500");
    const auto anna_entries = f.store->customer_entries("anna@example.com");
    const Balance anna = sum_entries(*anna_entries);
    CHECK(anna.available == 600);
    CHECK(anna.pending == 0);
}

// The referral index is kept between batches like the ledgers are, and an idle writer's shed gives
// it back too (a burst indexes its customers one at a time, so its entries lay spread over the
// burst's heap). A code after the shed still finds its referrer: the index is built anew.
TEST_CASE_TEMPLATE("an applier's shed forgets its referral index, and a code after it still finds its referrer", F,
                   SqliteFixture, MemoryFixture) {
    F f;
    ReferralOrders orders(*f.store);
    auto& applier = orders.applier;
    const Timestamp t0 = 1795341600;
    orders.paid("a1", "anna@example.com", std::nullopt, t0);
    orders.paid("k1", "kari@example.com", referral_code("shop1", "anna@example.com"), t0 + 60);
    REQUIRE(applier.kept_count() > 0);
    applier.shed_kept();
    CHECK(applier.kept_count() == 0);
    orders.paid("o1", "ola@example.com", referral_code("shop1", "kari@example.com"), t0 + 120);
    std::string referrals;  // the decisions, sorted
    std::vector<std::string> keys;
    const auto entries = f.store->all_entries();  // kept: the loop reads into it
    for (const auto& e : *entries) {
        if (e.kind == EntryKind::referral_reward || e.kind == EntryKind::referral_refused) keys.push_back(e.key);
    }
    std::sort(keys.begin(), keys.end());
    for (const auto& key : keys) referrals += key + "\n";
    // Kari's code, sought after the shed, found her: the welcome and referrer rewards of Ola's order.
    CHECK(referrals ==
          "shop1:referral:kari@example.com:referrer\nshop1:referral:kari@example.com:welcome\n"
          "shop1:referral:ola@example.com:referrer\nshop1:referral:ola@example.com:welcome\n");
}
