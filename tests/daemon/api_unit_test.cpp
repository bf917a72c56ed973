// In-process checks of the /api/v1 pieces whose behaviour depends on time or rules not reachable
// from the config yet: the per-token rate limiter (with a hand-moved clock), the tier and worth
// shown beside a balance, and referral codes.
#include <doctest/doctest.h>

#include "core/referral_code.hpp"
#include "http/api_customer_worth.hpp"
#include "http/api_rate_limiter.hpp"

using namespace rewardd;

TEST_CASE("the rate limiter allows a minute's budget at once, then one request per share of the minute") {
    auto now = std::chrono::steady_clock::time_point(std::chrono::hours(1));
    ApiRateLimiter limiter(6, [&now] { return now; });  // one request's share: 10 s
    for (int i = 0; i < 6; ++i) CHECK(limiter.acquire(1) == 0);
    CHECK(limiter.acquire(1) == 10000);
    CHECK(limiter.acquire(2) == 0);  // each token has its own budget
    now += std::chrono::seconds(4);
    CHECK(limiter.acquire(1) == 6000);
    now += std::chrono::seconds(6);
    CHECK(limiter.acquire(1) == 0);
    CHECK(limiter.acquire(1) == 10000);
    now += std::chrono::minutes(5);  // an idle minute refills the whole budget, not more
    for (int i = 0; i < 6; ++i) CHECK(limiter.acquire(1) == 0);
    CHECK(limiter.acquire(1) > 0);
}

namespace {

LedgerEntry earned(std::int64_t base_minor, Timestamp at) {
    LedgerEntry e;
    e.key = "demo:order:" + std::to_string(at) + ":earn:l1";
    e.customer = "kari@example.com";
    e.shop_id = "demo";
    e.order_id = std::to_string(at);
    e.kind = EntryKind::earn_pending;
    e.pending_delta = base_minor / 100;
    e.base_minor = base_minor;
    e.currency = "NOK";
    e.effective_at = at;
    return e;
}

Rules tiered() {
    Rules r;
    r.tiers = {{"silver", 1000000, 125}, {"gold", 5000000, 150}};  // 1 000.00 and 5 000.00
    r.tier_window_days = 365;
    return r;
}

}  // namespace

TEST_CASE("the worth of a balance: tier by spend in the window, the spend the next tier needs") {
    const Timestamp day = 86400;
    const Timestamp now = 1000 * day;
    const std::vector<LedgerEntry> entries{earned(60000, now - 400 * day), earned(150000, now - 10 * day)};

    const auto worth = customer_worth(tiered(), entries, 2550, "", now);
    CHECK(worth.tier == "silver");  // 1 500.00 in the last 365 days; the 600.00 is older
    REQUIRE(worth.next_tier);
    CHECK(worth.next_tier->name == "gold");
    CHECK(worth.next_tier->spend_needed_minor == 350000);
    CHECK(worth.currency == "NOK");
    CHECK(worth.points_value_minor == 2550);  // 2550 points at 100 per 1.00: 25.50

    const auto in_kwd = customer_worth(tiered(), entries, 2550, "KWD", now);
    CHECK(in_kwd.points_value_minor == 25500);  // three decimals
    CHECK(in_kwd.next_tier->spend_needed_minor == 3500000);

    const auto top = customer_worth(tiered(), {earned(600000, now - day)}, 0, "", now);
    CHECK(top.tier == "gold");
    CHECK_FALSE(top.next_tier);

    const auto untiered = customer_worth(Rules{}, entries, -40, "", now);
    CHECK(untiered.tier == "none");
    CHECK_FALSE(untiered.next_tier);
    CHECK(untiered.points_value_minor == 0);  // a negative balance is worth nothing

    const auto unknown_currency = customer_worth(tiered(), {}, 700, "", now);
    CHECK_FALSE(unknown_currency.currency);
    CHECK_FALSE(unknown_currency.points_value_minor);
    CHECK(unknown_currency.next_tier->name == "silver");
    CHECK_FALSE(unknown_currency.next_tier->spend_needed_minor);
}

TEST_CASE("referral codes are fixed by shop and customer: same input, same code") {
    CHECK(referral_code("demo", "kari@example.com") == referral_code("demo", "kari@example.com"));
    CHECK(referral_code("demo", "kari@example.com") != referral_code("demo2", "kari@example.com"));
    CHECK(referral_code("ab", "c") != referral_code("a", "bc"));
    CHECK(referral_code("demo", "kari@example.com").size() == 11);
}
