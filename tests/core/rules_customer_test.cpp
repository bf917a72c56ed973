// The customer's own walk as tables: tier changes up and down across the window edge and by
// refunds, oldest-lot-first spending with lifetime and inactivity expiry, negative-balance
// policies, and guest orders joining the account by e-mail.
#include <doctest/doctest.h>

#include "core/customer_walk.hpp"
#include "core/redemption.hpp"
#include "core/rules_harness.hpp"

using namespace rewardd;
using namespace rewardd::test;

namespace {

Rules tiered() {
    Rules r;
    r.tiers = {{"silver", 1000000, 150}, {"gold", 5000000, 200}};  // 1000.00 and 5000.00
    return r;
}

LedgerEntry adjust(const std::string& id, std::int64_t points, Timestamp at) {
    LedgerEntry e;
    e.key = "shop1:adjust:" + id;
    e.customer = "kari@example.com";
    e.shop_id = "shop1";
    e.kind = EntryKind::adjust;
    e.available_delta = points;
    e.effective_at = at;
    e.event_id = id;
    return e;
}

std::vector<std::string> tier_moves(const RulesHarness& h) {
    std::vector<std::string> out;
    for (const auto& e : h.of_kind(EntryKind::tier_change)) {
        out.push_back(std::to_string((e.effective_at - k_t0) / k_day) + "d " + e.reason + " (" + e.rate + ")");
    }
    return out;
}

}  // namespace

TEST_CASE("tiers move up with orders, down with refunds and at the window's edge, each change explained") {
    RulesHarness h(tiered());
    const Order a = rules_order("a", {line("l1", 100000)});  // 1000.00
    const Order b = rules_order("b", {line("l1", 100000)});
    const Order c = rules_order("c", {line("l1", 300000)});
    struct Row {
        const char* what;
        Event event;  // delivered at its own instant
        std::int64_t points_of_order;
        std::vector<std::string> moves;
    };
    const std::vector<Row> rows = {
        {"a first order reaches silver; it earned before the move", paid("a-paid", k_t0, a), 1000,
         {"0d none -> silver (spend 1000 in 365 days, threshold 1000)"}},
        {"the next order earns at silver", paid("b-paid", k_t0 + 10 * k_day, b), 1500,
         {"0d none -> silver (spend 1000 in 365 days, threshold 1000)"}},
        {"reaching gold", paid("c-paid", k_t0 + 20 * k_day, c), 4500,
         {"0d none -> silver (spend 1000 in 365 days, threshold 1000)",
          "20d silver -> gold (spend 5000 in 365 days, threshold 5000)"}},
        {"a full refund of the last order moves back down at the refund's instant",
         full_refund("c-refund", k_t0 + 30 * k_day, c), 0,
         {"0d none -> silver (spend 1000 in 365 days, threshold 1000)",
          "20d silver -> gold (spend 5000 in 365 days, threshold 5000)",
          "30d gold -> silver (spend 2000 in 365 days, threshold 5000)"}},
    };
    for (const auto& row : rows) {
        CAPTURE(row.what);
        const auto added = h.deliver(row.event, row.event.occurred_at);
        std::int64_t earned = 0;
        for (const auto& e : added) {
            if (e.kind == EntryKind::earn_pending) earned += e.pending_delta;
        }
        if (row.event.type == EventType::order_paid) CHECK(earned == row.points_of_order);
        CHECK(tier_moves(h) == row.moves);
    }
    CHECK(recorded_tier(h.customer_entries("kari@example.com")) == "silver");
    // Order a leaves the window exactly 365 days after it was paid: 1000 left, still silver;
    // order b leaves 10 days later: no spend, no tier.
    h.tick(k_t0 + 365 * k_day - 1);
    CHECK(tier_moves(h).size() == 3);
    CHECK(h.customer("kari@example.com", k_t0 + 365 * k_day - 1).tier.name == "silver");
    h.tick(k_t0 + 375 * k_day - 1);
    CHECK(tier_moves(h).size() == 3);
    h.tick(k_t0 + 375 * k_day);
    REQUIRE(tier_moves(h).size() == 4);
    CHECK(tier_moves(h).back() == "375d silver -> none (spend 0 in 365 days, threshold 1000)");
    const auto last = h.of_kind(EntryKind::tier_change).back();
    CHECK(last.pending_delta == 0);
    CHECK(last.available_delta == 0);
    CHECK(last.key == "tier:kari@example.com:" + std::to_string(k_t0 + 375 * k_day));
    CHECK(h.customer("kari@example.com", k_t0 + 375 * k_day).tier.name == "none");
    CHECK(recorded_tier(h.customer_entries("kari@example.com")) == "none");
    // Walking again changes nothing: every change is already recorded.
    CHECK(h.tick(k_t0 + 375 * k_day).empty());
}

TEST_CASE("spending takes the oldest lots first and a lot's lifetime expires only what is left of it") {
    Rules r;
    r.expiry.lifetime_days = 30;
    RulesHarness h(r);
    h.append({adjust("a1", 100, k_t0)}, k_t0);
    h.append({adjust("a2", 200, k_t0 + 10 * k_day)}, k_t0 + 10 * k_day);
    h.append({adjust("spend", -150, k_t0 + 20 * k_day)}, k_t0 + 20 * k_day);  // 100 of a1, 50 of a2
    const auto view = h.customer("kari@example.com", k_t0 + 20 * k_day);
    REQUIRE(view.expiring.size() == 1);
    CHECK(view.expiring[0] == ExpiringPoints{k_t0 + 40 * k_day, 150});
    CHECK(view.next_check_at == k_t0 + 40 * k_day);

    CHECK(h.tick(k_t0 + 40 * k_day - 1).empty());  // a1's end passes with nothing left in it
    const auto expired = h.tick(k_t0 + 40 * k_day);
    REQUIRE(expired.size() == 1);
    CHECK(expired[0].kind == EntryKind::expire);
    CHECK(expired[0].key == "shop1:adjust:a2:expire");
    CHECK(expired[0].available_delta == -150);
    CHECK(expired[0].effective_at == k_t0 + 40 * k_day);
    CHECK(expired[0].refers_to == "shop1:adjust:a2");
    CHECK(h.balance().available == 0);
    CHECK(h.tick(k_t0 + 400 * k_day).empty());
}

TEST_CASE("inactivity expires every lot at the exact instant, whenever the check runs") {
    Rules r;
    r.expiry.inactive_days = 90;
    for (const Timestamp check_at : {k_t0 + 90 * k_day, k_t0 + 200 * k_day}) {
        RulesHarness h(r);
        h.append({adjust("a1", 100, k_t0 - 10 * k_day)}, k_t0 - 10 * k_day);
        h.append({adjust("a2", 50, k_t0)}, k_t0);  // activity: the clock starts again
        CHECK(h.customer("kari@example.com", k_t0).expiring == std::vector<ExpiringPoints>{{k_t0 + 90 * k_day, 150}});
        CHECK(h.tick(k_t0 + 90 * k_day - 1).empty());
        const auto expired = h.tick(check_at);
        REQUIRE(expired.size() == 2);
        for (const auto& e : expired) CHECK(e.effective_at == k_t0 + 90 * k_day);
        CHECK(expired[0].reason == "100 points: no activity for 90 days since 2026-11-22T10:00:00Z");
        CHECK(h.balance().available == 0);
    }
}

TEST_CASE("expiry is off by default: nothing ever expires") {
    RulesHarness h(Rules{});
    h.append({adjust("a1", 100, k_t0)}, k_t0);
    CHECK(h.tick(k_t0 + 5000 * k_day).empty());
    CHECK(h.customer("kari@example.com", k_t0).expiring.empty());
}

TEST_CASE("clawing back points already spent follows the shop's negative-balance policy, recorded") {
    for (const auto policy : {NegativePolicy::carry, NegativePolicy::write_off}) {
        CAPTURE(negative_policy_id(policy));
        Rules r;
        r.pending_days = 0;
        r.negative_policy = policy;
        RulesHarness h(r);
        const Order o = rules_order("1", {line("l1", 100000)});
        h.deliver(paid("paid", k_t0, o), k_t0);
        REQUIRE(h.balance().available == 1000);
        RedemptionRequest req{"shop1", "r1", "kari@example.com", 1000, "NOK", std::nullopt, k_t0 + 60, ""};
        const auto plan = plan_redemption(r, req, h.balance().available);
        REQUIRE(plan.ok());
        h.append({plan->reserve}, k_t0 + 60);
        h.deliver(full_refund("refund", k_t0 + k_day, o), k_t0 + k_day);
        const auto negative = h.of_kind(EntryKind::negative_balance);
        REQUIRE(negative.size() == 1);
        CHECK(negative[0].key.rfind("shop1:order:1:", 0) == 0);
        CHECK(negative[0].key.ends_with(":negative"));
        CHECK(negative[0].refers_to + ":negative" == negative[0].key);
        CHECK(negative[0].rate == negative_policy_id(policy));
        CHECK(negative[0].order_id.empty());
        CHECK(negative[0].available_delta == (policy == NegativePolicy::carry ? 0 : 1000));
        CHECK(h.balance().available == (policy == NegativePolicy::carry ? -1000 : 0));
        // A later earning pays off a carried debt first.
        const Order next = rules_order("2", {line("l1", 60000)});
        h.deliver(paid("paid2", k_t0 + 2 * k_day, next), k_t0 + 2 * k_day);
        CHECK(h.balance().available == (policy == NegativePolicy::carry ? -400 : 600));
        CHECK(h.of_kind(EntryKind::negative_balance).size() == 1);
    }
}

TEST_CASE("a released code used after all, its points spent since, follows the negative-balance policy") {
    Rules r;
    r.negative_policy = NegativePolicy::write_off;
    RulesHarness h(r);
    h.append({adjust("a1", 1000, k_t0)}, k_t0);
    RedemptionRequest req{"shop1", "r1", "kari@example.com", 1000, "NOK", std::nullopt, k_t0 + 60, ""};
    const auto plan = plan_redemption(r, req, h.balance().available);
    REQUIRE(plan.ok());
    h.append({plan->reserve}, k_t0 + 60);
    auto existing = h.of_kind(EntryKind::reserve);
    const auto released = release_redemption("shop1", "r1", existing, k_t0 + k_day);
    REQUIRE(released.ok());
    h.append({*released}, k_t0 + k_day);                               // the points came back
    h.append({adjust("spend", -1000, k_t0 + 2 * k_day)}, k_t0 + 2 * k_day);  // and were spent
    existing.push_back(*released);
    const auto commit = commit_redemption("shop1", "r1", existing, "order-9", k_t0 + 3 * k_day);
    REQUIRE(commit.ok());
    REQUIRE(commit->available_delta == -1000);  // a late order used the code: taken again
    h.append({*commit}, k_t0 + 3 * k_day);
    const auto negative = h.of_kind(EntryKind::negative_balance);
    REQUIRE(negative.size() == 1);
    CHECK(negative[0].key == commit->key + ":negative");
    CHECK(negative[0].available_delta == 1000);  // written off, as the shop's policy says
    CHECK(h.balance().available == 0);
}

TEST_CASE("a refund after its order's points expired takes back only what did not expire") {
    Rules r;
    r.pending_days = 0;
    r.expiry.lifetime_days = 30;
    RulesHarness h(r);
    const Order o = rules_order("1", {line("l1", 100000)});
    h.deliver(paid("paid", k_t0, o), k_t0);                        // 1000 available, until day 30
    h.append({adjust("spend", -600, k_t0 + k_day)}, k_t0 + k_day);  // 600 of them spent
    h.append({adjust("a1", 500, k_t0 + 20 * k_day)}, k_t0 + 20 * k_day);
    REQUIRE(h.tick(k_t0 + 30 * k_day).size() == 1);               // the other 400 expire
    REQUIRE(h.balance().available == 500);

    h.deliver(full_refund("refund", k_t0 + 40 * k_day, o), k_t0 + 40 * k_day);
    // The refund takes back the 1000: the 400 expired are not taken a second time, from a1; the
    // 600 spent are, as any spent points are.
    const auto given_back = h.of_kind(EntryKind::expire);
    REQUIRE(given_back.size() == 2);
    const LedgerEntry& back = given_back[1];
    CHECK(back.available_delta == 400);
    CHECK(back.key == back.refers_to + ":expired");
    CHECK(back.refers_to.rfind("shop1:order:1:", 0) == 0);
    CHECK(back.effective_at == k_t0 + 40 * k_day);
    CHECK(back.reason == "400 of the points taken back had expired already: not taken twice");
    CHECK(h.balance().available == -100);  // 500 of a1 pay 500 of the 600 spent; 100 carried
    CHECK(h.tick(k_t0 + 400 * k_day).empty());  // walking again changes nothing
    CHECK(h.balance().available == -100);
}

TEST_CASE("a guest order earns by e-mail and joins the account that appears later") {
    RulesHarness h(Rules{});
    Order guest = rules_order("g1", {line("l1", 10000)}, " Kari@Example.com ");
    guest.customer = {"", normalise_email(" Kari@Example.com ")};
    h.deliver(paid("g-paid", k_t0, guest), k_t0);
    Order member = rules_order("m1", {line("l1", 20000)});
    member.customer = {"77", "kari@example.com"};
    h.deliver(paid("m-paid", k_t0 + k_day, member), k_t0 + k_day);
    CHECK(h.balance().pending == 300);
    CHECK(h.customer_entries("kari@example.com").size() == 2);
}
