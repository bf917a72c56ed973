// An erased customer's books: the ledger keeps the rows written under the old key, the customer
// goes on under the pseudonym. Reading, walking and expiring them must treat both as one customer.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <memory>
#include <random>

#include "adapters/neutral/event_json.hpp"
#include "core/history_generator.hpp"
#include "core/referral_code.hpp"
#include "ingest/ledger_applier.hpp"
#include "store/database.hpp"
#include "store/privacy_store.hpp"
#include "store/sqlite_store.hpp"

using namespace rewardd;

namespace {

constexpr Timestamp k_day = 86400;

struct ErasedCustomer {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("rewardd-erased-" + std::to_string(std::random_device{}()));
    std::shared_ptr<SQLite::Database> db;
    std::unique_ptr<SqliteStore> store;
    const Timestamp t0 = 1795341600;
    const Order order = rewardd::test::make_order("a1", "NOK", {{"l1", 10000}}, 0, 0, 0, "anna@example.com");
    const std::string alias = "erased-1@erased.invalid";

    ErasedCustomer() {
        auto opened = open_database({(dir / "rewardd.db").string(), Durability::normal});
        REQUIRE(opened.ok());
        db = *opened;
        store = std::make_unique<SqliteStore>(db);
    }
    ~ErasedCustomer() { std::filesystem::remove_all(dir); }

    void receive_paid() {
        const Event e = rewardd::test::order_event(EventType::order_paid, "paid", t0, order);
        REQUIRE(store->append_events({{0, e.shop_id, e.id, event_type_id(e.type), order.id, t0, t0, event_to_json(e)}})
                    .ok());
    }
    void erase() {
        const auto erased = PrivacyStore(*db).erase_customer({"shop1", "77", "anna@example.com"}, "test",
                                                             [this] { return alias; }, t0 + 20 * k_day);
        REQUIRE(erased.ok());
        REQUIRE(erased->pseudonyms.front() == alias);
    }
    std::int64_t count(const std::string& sql) { return db->execAndGet(sql).getInt64(); }
};

// Points pending 14 days, then each lot lives 30 days.
std::shared_ptr<const RewardEngine> expiring_engine() {
    Rules rules;
    rules.expiry.lifetime_days = 30;
    return std::make_shared<const RewardEngine>(RuleBook{{rules}});
}

std::int64_t points(const std::vector<LedgerEntry>& entries) {
    std::int64_t sum = 0;
    for (const auto& e : entries) sum += e.pending_delta + e.available_delta;
    return sum;
}

}  // namespace

TEST_CASE("an erased customer's ledger is read whole under the pseudonym, with the old key nowhere in it") {
    ErasedCustomer c;
    LedgerApplier applier(*c.store, expiring_engine());
    c.receive_paid();
    REQUIRE(applier.apply_next(100, c.t0).ok());
    REQUIRE(applier.release_due(100, c.t0 + 15 * k_day).ok());
    auto before = c.store->customer_entries("anna@example.com");
    REQUIRE(before.ok());
    REQUIRE(before->size() == 2);  // earned, released
    c.erase();

    auto after = c.store->customer_entries(c.alias);
    REQUIRE(after.ok());
    REQUIRE(after->size() == before->size());
    CHECK(points(*after) == points(*before));
    CHECK(points(*after) > 0);
    for (const auto& e : *after) {
        CHECK(e.customer == c.alias);
        CHECK(e.key.find("anna") == std::string::npos);
        CHECK(e.refers_to.find("anna") == std::string::npos);
    }
    auto found = c.store->find_customer(c.alias);
    REQUIRE(found.ok());
    CHECK(found->has_value());
}

TEST_CASE("an erased customer's points expire under the pseudonym and their e-mail's record stays gone") {
    ErasedCustomer c;
    LedgerApplier applier(*c.store, expiring_engine());
    c.receive_paid();
    REQUIRE(applier.apply_next(100, c.t0).ok());
    REQUIRE(applier.release_due(100, c.t0 + 15 * k_day).ok());  // released: the lot's expiry is the walk's wake-up
    REQUIRE(c.count("SELECT COUNT(*) FROM wakeups WHERE shop_id = '~customer' AND order_id = 'anna@example.com'") == 1);
    c.erase();
    CHECK(c.count("SELECT COUNT(*) FROM wakeups WHERE order_id LIKE '%anna%'") == 0);
    CHECK(c.count("SELECT COUNT(*) FROM wakeups WHERE shop_id = '~customer' AND order_id = 'erased-1@erased.invalid'") ==
          1);

    REQUIRE(applier.release_due(100, c.t0 + 60 * k_day).ok());  // past the lot's 30 days
    auto books = c.store->customer_entries(c.alias);
    REQUIRE(books.ok());
    CHECK(points(*books) == 0);  // expired once, in full
    CHECK(c.count("SELECT COUNT(*) FROM ledger WHERE kind = 'expire'") == 1);
    CHECK(c.count("SELECT COALESCE(SUM(pending_delta + available_delta), 0) FROM ledger") == 0);
    CHECK(c.count("SELECT COUNT(*) FROM customers WHERE key LIKE '%anna%' OR email LIKE '%anna%'") == 0);
}

// The daemon's applier knew the referrer's code before the erasure (its referral index holds it
// under the e-mail); after it, a referral their shared link brings rewards their pseudonym, as a
// replay of the scrubbed events decides it (books/reconcile), instead of being refused as unknown.
TEST_CASE("an erased referrer's shared code still rewards them, under the pseudonym") {
    ErasedCustomer c;
    Rules rules;
    rules.referral = {100, 200};
    LedgerApplier applier(*c.store, std::make_shared<const RewardEngine>(RuleBook{{rules}}));
    c.receive_paid();  // anna's own order: she is a customer the index knows
    REQUIRE(applier.apply_next(100, c.t0).ok());
    const auto referred = [&](const std::string& id, const std::string& email, Timestamp at) {
        Order o = rewardd::test::make_order(id, "NOK", {{"l1", 20000}}, 0, 0, 0, email);
        o.referral_code = referral_code("shop1", "anna@example.com");
        const Event e = rewardd::test::order_event(EventType::order_paid, id + "-paid", at, o);
        REQUIRE(c.store->append_events({{0, e.shop_id, e.id, event_type_id(e.type), o.id, at, at, event_to_json(e)}})
                    .ok());
        REQUIRE(applier.apply_next(100, at).ok());
    };
    referred("b1", "bob@example.com", c.t0 + k_day);
    CHECK(c.count("SELECT COUNT(*) FROM ledger WHERE key = 'shop1:referral:bob@example.com:referrer' AND "
                  "customer = 'anna@example.com'") == 1);
    c.erase();
    referred("c1", "carl@example.com", c.t0 + 30 * k_day);
    CHECK(c.count("SELECT COUNT(*) FROM ledger WHERE key = 'shop1:referral:carl@example.com:referrer' AND "
                  "customer = '" + c.alias + "'") == 1);
    CHECK(c.count("SELECT COUNT(*) FROM ledger WHERE key LIKE '%carl%:refused:%'") == 0);
    CHECK(c.count("SELECT COUNT(*) FROM customers WHERE key LIKE '%anna%' OR email LIKE '%anna%'") == 0);
    // She comes back under her old address with her old link: still a self-referral.
    referred("d1", "anna@example.com", c.t0 + 40 * k_day);
    CHECK(c.count("SELECT COUNT(*) FROM ledger WHERE key = 'shop1:referral:anna@example.com:refused:d1' AND "
                  "reason LIKE 'self-referral%'") == 1);
}
