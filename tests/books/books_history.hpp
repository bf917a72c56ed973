// A data folder with a history for the bookkeeper's tests: a WooCommerce shop (pointing at a fake
// shop when given one), the default rules as version 1, a generated history of order events
// stored and applied exactly as the daemon does, and redemptions delivered as coupons.
#pragma once

#include <doctest/doctest.h>

#include <functional>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "adapters/neutral/event_json.hpp"
#include "core/history_generator.hpp"
#include "ingest/ledger_applier.hpp"
#include "outbox/outbox_store.hpp"
#include "outbox/woocommerce_coupon_deliverer.hpp"
#include "rewards/redeem_service.hpp"
#include "store/database.hpp"
#include "store/rule_repository.hpp"
#include "store/shop_registry.hpp"
#include "store/sqlite_store.hpp"
#include "support/daemon_process.hpp"
#include "support/stored_history.hpp"

namespace rewardd::test::books {

inline const std::string k_shop = "wc1";
inline const std::string k_key = "ck_books_0123456789";
inline const std::string k_secret = "cs_books_0123456789";

struct History {
    TempDir dir;
    std::shared_ptr<SQLite::Database> db;
    Timestamp end = 0;  // every order's pending period is over by then
    std::vector<std::string> redeemed;  // grant ids

    std::string data() const { return dir.str(); }
};

// How a test's events reach the applier: all stored first, then applied in batches at h.end (each
// batch's orders as their events arrived), or each applied as it arrives, wake-ups due first, as the
// writer does.
enum class Arrival { stored_then_applied, as_received };

// The data folder's database with `shop` and `rules` (version 1) in it.
inline void open_history(History& h, const Shop& shop, const Rules& rules) {
    auto db = open_database({database_path(h.data()), Durability::normal});
    REQUIRE(db);
    h.db = *db;
    REQUIRE(ShopRegistry(h.db).save(shop));
    REQUIRE(RuleRepository(h.db).ensure(rules, 0, 1767225600));
}

// An event log stored and applied as the daemon applies it (`order`: as an older one did); `hook`
// sees every entry written. h.end is 60 days after the last event arrived.
inline void apply_log(History& h, const std::vector<GeneratedEvent>& log, LedgerApplier::EntryHook hook = {},
                      Arrival arrival = Arrival::stored_then_applied, BatchOrder order = BatchOrder::arrival) {
    REQUIRE(!log.empty());
    h.end = log.back().received_at + 60 * k_seconds_per_day;
    SqliteStore store(h.db);
    LedgerApplier applier(store, std::make_shared<RewardEngine>(*RuleRepository(h.db).load()));
    applier.set_batch_order(order);
    if (hook) applier.set_entry_hook(std::move(hook));
    if (arrival == Arrival::as_received) {
        for (const auto& g : log) {
            store_events(*h.db, {g});
            REQUIRE(applier.release_due(100000, g.received_at));
            REQUIRE(applier.apply_all(1024, g.received_at));
        }
    } else {
        store_events(*h.db, log);
    }
    REQUIRE(applier.apply_all(1024, h.end));
    REQUIRE(applier.release_due(100000, h.end));
}

// `events` generated events for `shop`, applied as the daemon applies them: `prepare` may edit the
// log (and record what the webhooks would) first, `hook` sees every entry written.
inline void make_shop_history(History& h, const Shop& shop, std::size_t events, const Rules& rules,
                              const std::function<void(std::vector<GeneratedEvent>&)>& prepare = {},
                              LedgerApplier::EntryHook hook = {}, int customers = 500) {
    open_history(h, shop, rules);
    auto log = generate_history(events, 42, customers);
    for (auto& g : log) g.event.shop_id = shop.id;
    if (prepare) prepare(log);
    apply_log(h, log, std::move(hook));
}

// Shop wc1 on WooCommerce at `shop_url`, in EUR.
inline Shop woocommerce_shop(const std::string& shop_url = "http://127.0.0.1:9") {
    return Shop{k_shop, "woocommerce", "webhook-secret",
                {{"url", shop_url}, {"consumer_key", k_key}, {"consumer_secret", k_secret}, {"currency", "EUR"}}, 0};
}

// `events` generated events for shop wc1, applied; the shop points at `shop_url`.
inline void make_history(History& h, std::size_t events, const std::string& shop_url = "http://127.0.0.1:9",
                         const Rules& rules = {}, int customers = 500) {
    make_shop_history(h, woocommerce_shop(shop_url), events, rules, {}, {}, customers);
}

// Redeems 500 points for each of `count` customers (the richest first), at `end`.
inline void redeem_some(History& h, int count, const std::string& shop_id = k_shop) {
    SQLite::Statement q(*h.db, "SELECT customer FROM ledger GROUP BY customer "
                               "ORDER BY SUM(available_delta) DESC LIMIT ?");
    q.bind(1, count);
    const auto rules = RuleRepository(h.db).load();
    REQUIRE(rules);
    for (int n = 0; q.executeStep(); ++n) {
        RedeemRequest r{shop_id, q.getColumn(0).getString(), 500, "r" + std::to_string(n), "EUR", std::nullopt};
        auto done = redeem(h.db, *rules, r, h.end);
        REQUIRE_MESSAGE(done, done.error().message);
        h.redeemed.push_back(done->entry_key);
    }
}

// Delivers every pending outbox item with the real WooCommerce deliverer, as the worker would.
inline int deliver_outbox(History& h) {
    OutboxStore outbox(h.db);
    auto shop = ShopRegistry(h.db).find(k_shop);
    REQUIRE(shop);
    WooCommerceCouponDeliverer deliverer(WooCommerceRest(std::make_shared<CurlHttpClient>(), 5000, [] {
        return static_cast<Timestamp>(std::time(nullptr));
    }));
    auto due = outbox.due(std::numeric_limits<std::int64_t>::max(), 1000);
    REQUIRE(due);
    int delivered = 0;
    for (const auto& item : *due) {
        const auto outcome = deliverer.deliver(**shop, item.grant);
        REQUIRE_MESSAGE(outcome.status == DeliveryStatus::delivered, outcome.detail);
        REQUIRE(outbox.mark_delivered(item.id, outcome.detail, h.end));
        ++delivered;
    }
    return delivered;
}

}  // namespace rewardd::test::books
