// Redeeming counts only points that have not expired by then: the writer writes an expiry when its
// check runs (or not at all while the daemon is down and `rewardd redeem` runs), so the balance
// check takes the expiries due by the redemption's instant into account itself.
#include "books/books_history.hpp"
#include "core/customer_walk.hpp"
#include "rewards/applier_wiring.hpp"
#include "store/customer_outlook.hpp"

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::books;

TEST_CASE("points past their lifetime cannot be redeemed, though the writer has not written their expiry yet") {
    History h;
    Rules rules;
    rules.expiry.lifetime_days = 30;
    open_history(h, woocommerce_shop(), rules);
    const Timestamp t0 = 1767225600;  // 2026-01-01
    LedgerEntry gift;
    gift.key = "manual:adjust:gift";
    gift.customer = "kari@example.com";
    gift.shop_id = "manual";
    gift.kind = EntryKind::adjust;
    gift.available_delta = 1000;
    gift.effective_at = t0;
    gift.reason = "gift";
    REQUIRE(SqliteStore(h.db).append_entry(gift, t0));
    const auto book = RuleRepository(h.db).load();
    REQUIRE(book);

    RedeemRequest late{k_shop, "kari@example.com", 500, "late", "EUR", std::nullopt, std::nullopt};
    const auto refused = redeem(h.db, *book, late, t0 + 40 * k_seconds_per_day);  // expired on day 30
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::insufficient_points);
    CHECK(h.db->execAndGet("SELECT COUNT(*) FROM ledger WHERE kind = 'reserve'").getInt() == 0);

    RedeemRequest early{k_shop, "kari@example.com", 500, "early", "EUR", std::nullopt, std::nullopt};
    const auto made = redeem(h.db, *book, early, t0 + 10 * k_seconds_per_day);
    REQUIRE_MESSAGE(made, (made ? "" : made.error().message));
    CHECK(made->available_after == 500);
}

namespace {

// The outlook kept for `customer` at `now`, checked against their walk over the ledger as stored.
void outlook_is_current(History& h, const RuleBook& book, const std::string& customer, Timestamp now) {
    const auto kept = kept_expiring(*h.db, customer, book.latest().version, now);
    REQUIRE(kept);
    REQUIRE_MESSAGE(kept->has_value(), "no outlook holds for the ledger as stored");
    const auto entries = SqliteStore(h.db).customer_entries(customer);
    REQUIRE(entries);
    CHECK(**kept == walk_customer(book, customer, *entries, now).expiring);
    CHECK(!(*kept)->empty());
}

}  // namespace

TEST_CASE("a redemption and the order that uses its code leave the customer's kept expiry outlook current") {
    History h;
    Rules rules;
    rules.expiry.lifetime_days = 400;  // every point earned in the history still ahead at h.end
    make_history(h, 400, "http://127.0.0.1:9", rules, 10);
    const auto book = RuleRepository(h.db).load();
    REQUIRE(book);
    redeem_some(h, 1);
    const std::string customer =
        h.db->execAndGet("SELECT customer FROM ledger WHERE kind = 'reserve'").getString();
    outlook_is_current(h, *book, customer, h.end);

    // An order paid with the code: the commit is written after the order's own walk.
    const std::string code = h.db->execAndGet("SELECT json_extract(grant_body, '$.code') FROM outbox").getString();
    Order order;
    order.id = "paid-with-code";
    order.currency = "EUR";
    order.customer.email = customer;
    order.lines = {OrderLine{"l1", "p1", {}, 1, 2500}};
    order.total_minor = 2500;
    order.codes = {code};
    Event paid;
    paid.shop_id = k_shop;
    paid.id = "evt-paid-with-code";
    paid.type = EventType::order_paid;
    paid.occurred_at = h.end + 60;
    paid.order = order;
    store_events(*h.db, {GeneratedEvent{paid, h.end + 60}});
    SqliteStore store(h.db);
    LedgerApplier applier(store, std::make_shared<RewardEngine>(*book));
    wire_daemon_applier(applier, h.db, *book);
    REQUIRE(applier.apply_all(1024, h.end + 60));
    REQUIRE(h.db->execAndGet("SELECT COUNT(*) FROM ledger WHERE kind = 'redeem_commit'").getInt() == 1);
    outlook_is_current(h, *book, customer, h.end + 60);
}
