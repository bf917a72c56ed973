// Redemption as tables: validation errors by id, amounts and flooring per currency, the cart
// share cap, the deterministic code, and reserve -> commit / release with balances after each.
#include <doctest/doctest.h>

#include "core/balance.hpp"
#include "core/redemption.hpp"

using namespace rewardd;

namespace {

constexpr Timestamp k_t0 = 1795341600;  // 2026-11-22T10:00:00Z

RedemptionRequest request(std::int64_t points, const std::string& currency = "NOK",
                          std::optional<std::int64_t> cart = std::nullopt, const std::string& id = "r1") {
    RedemptionRequest r;
    r.shop_id = "shop1";
    r.redemption_id = id;
    r.customer = "kari@example.com";
    r.points = points;
    r.currency = currency;
    r.cart_total_minor = cart;
    r.at = k_t0;
    r.event_id = "evt-" + id;
    return r;
}

LedgerEntry earned(std::int64_t points) {
    LedgerEntry e;
    e.key = "shop1:adjust:a1";
    e.customer = "kari@example.com";
    e.shop_id = "shop1";
    e.kind = EntryKind::adjust;
    e.available_delta = points;
    return e;
}

struct Row {
    const char* what;
    std::int64_t points;
    std::string currency;
    std::optional<std::int64_t> cart;
    std::int64_t available;
    const char* error;            // "" when it succeeds
    std::int64_t points_reserved;
    std::int64_t discount_minor;
};

}  // namespace

TEST_CASE("a redemption request is validated and priced as the table says") {
    Rules rules;  // 100 points = 1.00, minimum 500, whole cart payable
    Rules half = rules;
    half.redeem_cart_share_max_bp = 5000;
    const Row rows[] = {
        {"the minimum exactly", 500, "NOK", {}, 1000, "", 500, 500},
        {"one point under the minimum", 499, "NOK", {}, 1000, "below_minimum_redemption", 0, 0},
        {"all that is available", 1000, "NOK", {}, 1000, "", 1000, 1000},
        {"one point more than available", 1001, "NOK", {}, 1000, "insufficient_points", 0, 0},
        {"zero points", 0, "NOK", {}, 1000, "invalid_field", 0, 0},
        {"negative points", -500, "NOK", {}, 1000, "invalid_field", 0, 0},
        {"an unknown currency", 500, "XXX", {}, 1000, "unknown_currency", 0, 0},
        {"yen: 100 points buy 1 yen", 700, "JPY", {}, 1000, "", 700, 7},
        {"yen: a fraction of a yen is floored away", 750, "JPY", {}, 1000, "", 700, 7},
        {"dinar: 3 decimals, 1 point = 10 fils", 555, "KWD", {}, 1000, "", 555, 5550},
        {"a cart large enough", 600, "NOK", 600, 1000, "", 600, 600},
        {"a cart one minor unit too small", 600, "NOK", 599, 1000, "exceeds_cart_share", 0, 0},
    };
    for (const auto& row : rows) {
        CAPTURE(row.what);
        const auto plan = plan_redemption(rules, request(row.points, row.currency, row.cart), row.available);
        if (std::string(row.error).empty()) {
            REQUIRE(plan.ok());
            CHECK(plan->points == row.points_reserved);
            CHECK(plan->discount.minor == row.discount_minor);
            CHECK(plan->discount.currency == row.currency);
            CHECK(plan->reserve.available_delta == -row.points_reserved);
            CHECK(plan->reserve.base_minor == row.discount_minor);
        } else {
            REQUIRE_FALSE(plan.ok());
            CHECK(std::string(error_id(plan.error().code)) == row.error);
        }
    }
    SUBCASE("flooring below the minimum is refused") {
        Rules high = rules;
        high.redeem_minimum_points = 550;
        const auto plan = plan_redemption(high, request(599, "JPY"), 1000);
        REQUIRE_FALSE(plan.ok());
        CHECK(plan.error().code == ErrorCode::below_minimum_redemption);
    }
    SUBCASE("half the cart payable with points") {
        CHECK(plan_redemption(half, request(500, "NOK", 1000), 5000).ok());
        const auto over = plan_redemption(half, request(600, "NOK", 1000), 5000);
        REQUIRE_FALSE(over.ok());
        CHECK(over.error().code == ErrorCode::exceeds_cart_share);
        CHECK(max_redeemable_points(half, "NOK", 5000, 1000) == 500);
        CHECK(max_redeemable_points(half, "NOK", 5000, 999) == 0);  // 499 is under the minimum
    }
}

TEST_CASE("an uneven points rate floors to the points that buy whole minor units") {
    Rules rules;
    rules.redeem_points_per_unit = 150;  // 150 points = 1.00 EUR: 3 points buy 2 cents
    rules.redeem_minimum_points = 0;
    const auto plan = plan_redemption(rules, request(500, "EUR"), 1000);
    REQUIRE(plan.ok());
    CHECK(plan->points == 498);
    CHECK(plan->discount.minor == 332);
    CHECK(max_redeemable_points(rules, "EUR", 1000) == 999);
    CHECK(max_redeemable_points(rules, "EUR", 2) == 0);
}

TEST_CASE("the reservation entry says what, for whom, at which rate and under which rules") {
    Rules rules;
    rules.version = 3;
    const auto plan = plan_redemption(rules, request(500), 800);
    REQUIRE(plan.ok());
    const LedgerEntry& e = plan->reserve;
    CHECK(e.key == "shop1:redeem:r1:reserve");
    CHECK(e.kind == EntryKind::reserve);
    CHECK(e.customer == "kari@example.com");
    CHECK(e.pending_delta == 0);
    CHECK(e.rule_version == 3);
    CHECK(e.rate == "100 points per 1.00 NOK");
    CHECK(e.event_id == "evt-r1");
    CHECK(e.effective_at == k_t0);
    CHECK(e.reason == "code " + plan->code);
    CHECK_FALSE(plan->already_reserved);
}

TEST_CASE("the code is derived from shop and redemption id alone, so a retry never makes a second one") {
    const std::string code = redemption_code("shop1", "r1");
    CHECK(code.size() == 19);
    CHECK(code.rfind("RW-", 0) == 0);
    CHECK(code.find_first_of("ILOU") == std::string::npos);
    CHECK(redemption_code("shop1", "r1") == code);
    CHECK(redemption_code("shop1", "r2") != code);
    CHECK(redemption_code("shop2", "r1") != code);

    Rules rules;
    const auto first = plan_redemption(rules, request(500), 800);
    REQUIRE(first.ok());
    // The retry sees the reservation it already wrote (available is now 300): same entry, same code.
    const auto retry = plan_redemption(rules, request(500), 300, {earned(800), first->reserve});
    REQUIRE(retry.ok());
    CHECK(retry->already_reserved);
    CHECK(retry->code == first->code);
    CHECK(retry->reserve == first->reserve);
    const auto other = plan_redemption(rules, request(600), 300, {first->reserve});
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code == ErrorCode::exists_with_different_content);
}

TEST_CASE("reserve, commit and release move the balance row by row") {
    Rules rules;
    std::vector<LedgerEntry> ledger{earned(2000)};
    const auto a = plan_redemption(rules, request(500, "NOK", {}, "a"), sum_entries(ledger).available, ledger);
    REQUIRE(a.ok());
    ledger.push_back(a->reserve);
    CHECK(sum_entries(ledger).available == 1500);
    CHECK(sum_entries(ledger).lifetime_redeemed == 500);

    const auto b = plan_redemption(rules, request(1500, "NOK", {}, "b"), sum_entries(ledger).available, ledger);
    REQUIRE(b.ok());
    ledger.push_back(b->reserve);
    CHECK(sum_entries(ledger).available == 0);
    const auto c = plan_redemption(rules, request(500, "NOK", {}, "c"), sum_entries(ledger).available, ledger);
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().code == ErrorCode::insufficient_points);

    // Code a is used by an order: a zero-delta marker, the points stay spent.
    const auto commit = commit_redemption("shop1", "a", ledger, "1001", k_t0 + 60, "evt-paid");
    REQUIRE(commit.ok());
    CHECK(commit->key == "shop1:redeem:a:commit");
    CHECK(commit->kind == EntryKind::redeem_commit);
    CHECK(commit->available_delta == 0);
    CHECK(commit->order_id == "1001");
    CHECK(commit->refers_to == "shop1:redeem:a:reserve");
    ledger.push_back(*commit);
    CHECK(sum_entries(ledger).available == 0);
    CHECK(commit_redemption("shop1", "a", ledger, "1001", k_t0 + 60, "evt-paid").value() == *commit);
    CHECK(release_redemption("shop1", "a", ledger, k_t0 + 90).error().code == ErrorCode::redemption_committed);

    // Code b expires unused: its points come back.
    const auto release = release_redemption("shop1", "b", ledger, k_t0 + 30 * 86400);
    REQUIRE(release.ok());
    CHECK(release->key == "shop1:redeem:b:release");
    CHECK(release->kind == EntryKind::reserve_release);
    CHECK(release->available_delta == 1500);
    ledger.push_back(*release);
    CHECK(sum_entries(ledger).available == 1500);
    CHECK(sum_entries(ledger).lifetime_redeemed == 500);
    CHECK(release_redemption("shop1", "b", ledger, k_t0 + 31 * 86400).value() == *release);
    CHECK(commit_redemption("shop1", "b", ledger, "1002", k_t0, "").error().code == ErrorCode::redemption_released);
    CHECK(commit_redemption("shop1", "zzz", ledger, "1002", k_t0, "").error().code == ErrorCode::not_found);
}
