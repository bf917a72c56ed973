// Due cashback becomes an outbox grant in the same transaction as its cashback_due entry, for
// shops whose platform has a deliverer; the WooCommerce captures drive the order.
#include <doctest/doctest.h>

#include "adapters/neutral/event_json.hpp"
#include "adapters/woocommerce/webhook_mapper.hpp"
#include "ingest/ledger_applier.hpp"
#include "outbox/outbox_store.hpp"
#include "rewards/cashback_grants.hpp"
#include "store/database.hpp"
#include "store/sqlite_store.hpp"
#include "woocommerce/capture.hpp"

using namespace rewardd;

namespace {

struct Fixture {
    test::TempDir dir;
    std::shared_ptr<SQLite::Database> db;
    SqliteStore store;
    LedgerApplier applier;

    static std::shared_ptr<SQLite::Database> open(const test::TempDir& d) {
        auto opened = open_database({d.str() + "/rewardd.db", Durability::normal});
        REQUIRE(opened);
        return *opened;
    }
    static std::shared_ptr<const RewardEngine> engine() {
        Rules rules;
        rules.pending_mode = PendingMode::on_completion;
        rules.cashback.rate_bp = 500;  // 5 %
        return std::make_shared<RewardEngine>(RuleBook({rules}));
    }
    explicit Fixture(const std::string& platform) : db(open(dir)), store(db), applier(store, engine()) {
        REQUIRE(ShopRegistry(db).save(Shop{"wc1", platform, "test-webhook-secret", {}, 0}));
        applier.set_entry_hook(cashback_grant_hook(db, {"woocommerce"}));
    }
    void deliver(const std::string& capture) {
        auto plan = woocommerce::plan_delivery(woocommerce::Topic::order_updated,
                                               test::woocommerce::read_capture(capture).body, "wc1", {});
        REQUIRE(plan);
        std::vector<InboxEvent> batch;
        for (const auto& e : plan->events) {
            batch.push_back({0, "wc1", e.id, event_type_id(e.type), e.order->id, e.occurred_at, e.occurred_at,
                             event_to_json(e)});
        }
        REQUIRE(store.append_events(batch));
        REQUIRE(applier.apply_all(64, 1900000000));
    }
};

}  // namespace

TEST_CASE("a completed WooCommerce order's due cashback is queued as a coupon grant beside its entry") {
    Fixture f("woocommerce");
    f.deliver("003-order.created.http");
    CHECK(OutboxStore(f.db).list(std::nullopt)->empty());  // paid, not yet due
    f.deliver("005-order.updated.http");
    const auto items = OutboxStore(f.db).list(std::nullopt);
    REQUIRE(items);
    REQUIRE(items->size() == 1);
    const RewardGrant& g = items->front().grant;
    CHECK(g.grant_id == "wc1:order:12:cashback:due");
    CHECK(g.amount_minor == 250);
    CHECK(g.currency == "USD");
    CHECK(g.customer_email == "ada@example.test");
    CHECK(g.code == cashback_grant({.key = "wc1:order:12:cashback:due"}).code);
    CHECK(g.code.rfind("CB-", 0) == 0);
    f.deliver("005-order.updated.http");  // again: nothing new
    CHECK(OutboxStore(f.db).list(std::nullopt)->size() == 1);
}

TEST_CASE("cashback of a shop without a deliverer stays in the ledger only") {
    Fixture f("custom");
    f.deliver("005-order.updated.http");
    CHECK(f.db->execAndGet("SELECT COUNT(*) FROM ledger WHERE kind = 'cashback_due'").getInt() == 1);
    CHECK(OutboxStore(f.db).list(std::nullopt)->empty());
}
