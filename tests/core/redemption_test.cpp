// Redemption as tables: validation errors by id, amounts and flooring per currency, the cart
// share cap, the deterministic code, and reserve -> commit / release with balances after each.
#include <doctest/doctest.h>

#include <algorithm>

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
    SUBCASE("the code asks for an order its value is at most the cart share of") {
        CHECK(plan_redemption(rules, request(600, "NOK"), 5000)->minimum_subtotal_minor == 0);  // 100 %: none
        CHECK(plan_redemption(half, request(600, "NOK"), 5000)->minimum_subtotal_minor == 1200);
        CHECK(plan_redemption(half, request(600, "NOK", 1200), 5000)->minimum_subtotal_minor == 1200);
        Rules third = rules;
        third.redeem_cart_share_max_bp = 3300;  // 1.00 is 33 % of 3.0303...: rounded up to 3.04
        CHECK(redemption_minimum_subtotal(third, 100) == 304);
        CHECK(scale_rounded(303, 3300, 10000, Rounding::floor) < 100);  // 3.03 would let it pay more
        CHECK(redemption_minimum_subtotal(third, 0) == 0);
        const auto repeat = plan_redemption(half, request(600, "NOK"), 0,
                                            {plan_redemption(half, request(600, "NOK"), 5000)->reserve});
        REQUIRE(repeat.ok());
        CHECK(repeat->already_reserved);
        CHECK(repeat->minimum_subtotal_minor == 1200);
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
    CHECK(e.key == "shop1:redeem:r1");
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
    CHECK(commit->refers_to == "shop1:redeem:a");
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
    // An order used b after all (paid late, delivered after the release): the points are taken again,
    // effective once they had come back.
    const auto again = commit_redemption("shop1", "b", ledger, "1002", k_t0, "");
    REQUIRE(again.ok());
    CHECK(again->key == "shop1:redeem:b:commit");
    CHECK(again->available_delta == -release->available_delta);
    CHECK(again->effective_at == release->effective_at);
    ledger.push_back(*again);
    CHECK(sum_entries(ledger).available == 0);
    CHECK(sum_entries(ledger).lifetime_redeemed == 2000);
    CHECK(commit_redemption("shop1", "zzz", ledger, "1002", k_t0, "").error().code == ErrorCode::not_found);
}

namespace {

constexpr Timestamp k_expires = k_t0 + 30 * 86400;

Event paid_with(EventType type, const std::string& id, Timestamp at, std::vector<std::string> codes,
                const std::string& order = "1001") {
    Event e;
    e.shop_id = "shop1";
    e.id = id;
    e.type = type;
    e.occurred_at = at;
    e.order = Order{};
    e.order->id = order;
    e.order->currency = "NOK";
    e.order->codes = std::move(codes);
    return e;
}

struct UseRow {
    const char* what;
    std::vector<Event> events;
    std::vector<std::pair<std::string, std::string>> uses;  // code, event id
};

}  // namespace

TEST_CASE("an order uses a code from its earliest paid or completed event carrying it") {
    const auto placed = paid_with(EventType::order_placed, "e-placed", k_t0, {"rwd-1111-2222-3333"});
    const auto paid = paid_with(EventType::order_paid, "e-paid", k_t0 + 5, {"rwd-1111-2222-3333"});
    const auto done = paid_with(EventType::order_completed, "e-done", k_t0 + 10, {"RWD-1111-2222-3333", "SUMMER"});
    const auto bare = paid_with(EventType::order_paid, "e-bare", k_t0 + 5, {});
    const std::vector<UseRow> rows{
        {"placed only: not used yet", {placed}, {}},
        {"paid: used, upper-cased as issued", {placed, paid}, {{"RWD-1111-2222-3333", "e-paid"}}},
        {"completed before paid arrives: the earlier payment wins", {done, paid, done, paid},
         {{"RWD-1111-2222-3333", "e-paid"}, {"SUMMER", "e-done"}}},
        {"paid without the code, completed with it", {bare, done},
         {{"RWD-1111-2222-3333", "e-done"}, {"SUMMER", "e-done"}}},
    };
    for (const auto& row : rows) {
        CAPTURE(row.what);
        const auto uses = code_uses(row.events);
        REQUIRE(uses.size() == row.uses.size());
        for (std::size_t i = 0; i < uses.size(); ++i) {
            CHECK(uses[i].code == row.uses[i].first);
            CHECK(uses[i].event_id == row.uses[i].second);
            CHECK(uses[i].order_id == "1001");
            CHECK(uses[i].shop_id == "shop1");
        }
    }
}

namespace {

enum class Step { reserve, order_uses, expiry_check };

struct LifeRow {
    const char* what;
    Step step;
    const char* redemption;
    std::int64_t points_or_order;  // reserve: points; order_uses: order id
    Timestamp at;
    const char* key;               // the entry written or found; "" when none
    std::optional<ErrorCode> error;
    std::int64_t available_after;
};

// Runs one row against the ledger; appends what is new and returns the entry's key (or "").
std::string run_step(const LifeRow& row, std::vector<LedgerEntry>& ledger, std::optional<ErrorCode>& error) {
    const auto keep = [&](const LedgerEntry& e) {
        const auto it = std::find_if(ledger.begin(), ledger.end(), [&](const LedgerEntry& l) { return l.key == e.key; });
        if (it == ledger.end()) ledger.push_back(e);
        else CHECK(*it == e);  // idempotent: the entry already written, never a second one
        return e.key;
    };
    switch (row.step) {
        case Step::reserve: {
            const auto plan = plan_redemption(Rules{}, request(row.points_or_order, "NOK", {}, row.redemption),
                                              sum_entries(ledger).available, ledger);
            if (!plan) {
                error = plan.error().code;
                return "";
            }
            return keep(plan->reserve);
        }
        case Step::order_uses: {
            const std::string order = std::to_string(row.points_or_order);
            const auto commit = commit_redemption("shop1", row.redemption, ledger, order, row.at, "evt-" + order);
            if (!commit) {
                error = commit.error().code;
                return "";
            }
            return keep(*commit);
        }
        case Step::expiry_check: {
            const auto release = release_expired_redemption("shop1", row.redemption, ledger, k_expires, row.at);
            if (!release) {
                error = release.error().code;
                return "";
            }
            return *release ? keep(**release) : "";
        }
    }
    return "";
}

}  // namespace

TEST_CASE("a reservation is committed by the order that uses its code or released when it expires unused") {
    const std::vector<LifeRow> rows{
        {"reserve a", Step::reserve, "a", 500, k_t0, "shop1:redeem:a", {}, 1500},
        {"reserve b", Step::reserve, "b", 1000, k_t0, "shop1:redeem:b", {}, 500},
        {"b checked before its expiry: still reserved", Step::expiry_check, "b", 0, k_expires - 1, "", {}, 500},
        {"order 1001 paid with a: committed", Step::order_uses, "a", 1001, k_t0 + 60, "shop1:redeem:a:commit", {}, 500},
        {"the same order again: the same commit", Step::order_uses, "a", 1001, k_t0 + 60, "shop1:redeem:a:commit", {}, 500},
        {"a's expiry: the commit stands", Step::expiry_check, "a", 0, k_expires, "", {}, 500},
        {"b's expiry: released, points back", Step::expiry_check, "b", 0, k_expires, "shop1:redeem:b:release", {}, 1500},
        {"b checked again later: the same release", Step::expiry_check, "b", 0, k_expires + 86400,
         "shop1:redeem:b:release", {}, 1500},
        {"a late order with b: its points taken again", Step::order_uses, "b", 1002, k_expires + 90,
         "shop1:redeem:b:commit", {}, 500},
        {"the same late order again: the same commit", Step::order_uses, "b", 1002, k_expires + 90,
         "shop1:redeem:b:commit", {}, 500},
        {"another order with a: the first commit is kept", Step::order_uses, "a", 1003, k_t0 + 90,
         "shop1:redeem:a:commit", {}, 500},
        {"a code never reserved", Step::expiry_check, "zzz", 0, k_expires, "", ErrorCode::not_found, 500},
    };
    std::vector<LedgerEntry> ledger{earned(2000)};
    for (const auto& row : rows) {
        CAPTURE(row.what);
        std::optional<ErrorCode> error;
        CHECK(run_step(row, ledger, error) == row.key);
        CHECK(error == row.error);
        CHECK(sum_entries(ledger).available == row.available_after);
    }
    const auto commit = std::find_if(ledger.begin(), ledger.end(), [](const LedgerEntry& e) { return e.key == "shop1:redeem:a:commit"; });
    REQUIRE(commit != ledger.end());
    CHECK(commit->order_id == "1001");
    CHECK(commit->refers_to == "shop1:redeem:a");
    const auto release = std::find_if(ledger.begin(), ledger.end(), [](const LedgerEntry& e) { return e.key == "shop1:redeem:b:release"; });
    REQUIRE(release != ledger.end());
    CHECK(release->effective_at == k_expires);  // at the expiry, whenever the check ran
    CHECK(release->available_delta == 1000);
    CHECK(release->reason == "code expired unused on " + format_timestamp(k_expires));
}
