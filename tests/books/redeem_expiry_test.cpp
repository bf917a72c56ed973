// Redeeming counts only points that have not expired by then: the writer writes an expiry when its
// check runs (or not at all while the daemon is down and `rewardd redeem` runs), so the balance
// check takes the expiries due by the redemption's instant into account itself.
#include "books/books_history.hpp"

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
