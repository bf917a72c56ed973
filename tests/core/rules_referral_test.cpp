// Referrals as tables, one row per event with the entries it writes and both customers' balances:
// held with the referee's first order, released with it, reversed by a cancellation or full refund
// before that, and refused (unknown code, self-referral, a second referral, not a first order)
// with the reason recorded.
#include <doctest/doctest.h>

#include "core/referral_code.hpp"
#include "core/rules_harness.hpp"

using namespace rewardd;
using namespace rewardd::test;

namespace {

const std::string k_kari = "kari@example.com";  // the referee
const std::string k_anna = "anna@example.com";  // the referrer

Rules referral_program() {
    Rules r;
    r.referral.referee_points = 200;
    r.referral.referrer_points = 500;
    return r;
}

Order referred_order(const std::string& id, std::int64_t total, const std::string& code,
                     const std::string& email = k_kari) {
    Order o = rules_order(id, {line("l1", total)}, email);
    o.referral_code = code;
    return o;
}

Event cancelled(const std::string& id, Timestamp at, const Order& order) {
    return rules_event(EventType::order_cancelled, id, at, order);
}

Event partial_refund(const std::string& id, Timestamp at, const Order& order, std::int64_t amount) {
    Event e = rules_event(EventType::order_refunded, id, at, order);
    e.refund = Refund{id, amount, {}};
    return e;
}

// "kind key-tail customer pending/available", the key without its "shop1:" and order prefixes.
std::vector<std::string> referral_lines(const std::vector<LedgerEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) {
        if (e.kind != EntryKind::referral_reward && e.kind != EntryKind::referral_refused) continue;
        const std::string tail = e.key.substr(e.key.find(":referral:") + 10);
        out.push_back(std::string(entry_kind_id(e.kind)) + " " + tail + " " + e.customer + " " +
                      std::to_string(e.pending_delta) + "/" + std::to_string(e.available_delta) +
                      (e.kind == EntryKind::referral_refused ? " (" + e.reason + ")" : ""));
    }
    return out;
}

struct Row {
    const char* what;
    std::optional<Event> event;  // none: the periodic check runs at `at`
    Timestamp at;
    std::vector<std::string> referral_entries;
    Balance kari;  // {available, pending, lifetime_earned, lifetime_redeemed}
    Balance anna;
};

void run_rows(RulesHarness& h, const std::vector<Row>& rows) {
    for (const auto& row : rows) {
        CAPTURE(row.what);
        const auto added = row.event ? h.deliver(*row.event, row.at) : h.tick(row.at);
        CHECK(referral_lines(added) == row.referral_entries);
        CHECK(h.balance(k_kari) == row.kari);
        CHECK(h.balance(k_anna) == row.anna);
    }
    CHECK(h.conflicts() == 0);
}

}  // namespace

TEST_CASE("a referral is held with the referee's first order, released with it, and counted once") {
    RulesHarness h(referral_program());
    h.know(k_anna);
    const std::string code = referral_code("shop1", k_anna);
    const Order first = referred_order("k1", 100000, code);    // 1000 points
    const Order second = referred_order("k2", 50000, code);    // 500 points
    const std::string held_until = "held until the order's pending period ends";
    run_rows(h, {
        {"the first order holds both rewards", paid("k1-paid", k_t0, first), k_t0,
         {"referral_reward kari@example.com:welcome kari@example.com 200/0",
          "referral_reward kari@example.com:referrer anna@example.com 500/0"},
         {0, 1200, 1200, 0}, {0, 500, 500, 0}},
        {"one second before the pending period ends nothing moves", std::nullopt, k_t0 + 14 * k_day - 1,
         {}, {0, 1200, 1200, 0}, {0, 500, 500, 0}},
        {"at its end both rewards are released with the order", std::nullopt, k_t0 + 14 * k_day,
         {"referral_reward kari@example.com:welcome:release kari@example.com -200/200",
          "referral_reward kari@example.com:referrer:release anna@example.com -500/500"},
         {1200, 0, 1200, 0}, {500, 0, 500, 0}},
        {"a refund after release leaves the referral alone", full_refund("k1-refund", k_t0 + 20 * k_day, first),
         k_t0 + 20 * k_day, {}, {200, 0, 200, 0}, {500, 0, 500, 0}},
        {"the same code again is a second referral: refused with the reason", paid("k2-paid", k_t0 + 21 * k_day, second),
         k_t0 + 21 * k_day,
         {"referral_refused kari@example.com:refused:k2 kari@example.com 0/0 (already referred: a customer is "
          "referred once)"},
         {200, 500, 700, 0}, {500, 0, 500, 0}},
    });
    const auto welcome = h.of_kind(EntryKind::referral_reward).front();
    CHECK(welcome.order_id == "k1");
    CHECK(welcome.rate == code);
    CHECK(welcome.rule_version == 1);
    CHECK(welcome.reason == "welcome: referred by code " + code + ", " + held_until);
    const auto reward = h.of_kind(EntryKind::referral_reward)[1];
    CHECK(reward.refers_to == "shop1:referral:kari@example.com:welcome");
    CHECK(reward.reason == "referred k***@example.com, held until their first order's pending period ends");
    // The referrer's released reward is a lot of theirs like any other.
    CHECK(h.customer(k_anna, k_t0 + 30 * k_day).new_entries.empty());
    // Once the second order is released too, delivering everything again writes nothing.
    CHECK(h.tick(k_t0 + 40 * k_day).size() == 1);
    for (const auto& e : {paid("k1-paid", k_t0, first), paid("k2-paid", k_t0 + 21 * k_day, second)}) {
        CHECK(h.deliver(e, k_t0 + 40 * k_day).empty());
    }
}

TEST_CASE("a referral is reversed when the first order is cancelled or fully refunded before release") {
    const std::string code = referral_code("shop1", k_anna);
    const Order first = referred_order("k1", 100000, code);
    const Event undo[] = {cancelled("k1-cancel", k_t0 + 3 * k_day, first),
                          full_refund("k1-refund", k_t0 + 3 * k_day, first)};
    const char* why[] = {"order cancelled", "order fully refunded"};
    for (int i = 0; i < 2; ++i) {
        CAPTURE(why[i]);
        RulesHarness h(referral_program());
        h.know(k_anna);
        run_rows(h, {
            {"held", paid("k1-paid", k_t0, first), k_t0,
             {"referral_reward kari@example.com:welcome kari@example.com 200/0",
              "referral_reward kari@example.com:referrer anna@example.com 500/0"},
             {0, 1200, 1200, 0}, {0, 500, 500, 0}},
            {"a partial refund does not touch it", partial_refund("k1-part", k_t0 + k_day, first, 10000),
             k_t0 + k_day, {}, {0, 1100, 1100, 0}, {0, 500, 500, 0}},
            {"undone before release: both holds are taken back", undo[i], k_t0 + 3 * k_day,
             {"referral_reward kari@example.com:welcome:reverse kari@example.com -200/0",
              "referral_reward kari@example.com:referrer:reverse anna@example.com -500/0"},
             {0, 0, 0, 0}, {0, 0, 0, 0}},
            {"nothing is released later", std::nullopt, k_t0 + 30 * k_day, {}, {0, 0, 0, 0}, {0, 0, 0, 0}},
        });
        CHECK(h.of_kind(EntryKind::referral_reward).back().reason ==
              std::string("reversed: ") + why[i] + " before its pending period ended");
    }
}

TEST_CASE("referrals are refused with a recorded reason: unknown code, self-referral, not a first order") {
    const std::string anna_code = referral_code("shop1", k_anna);
    struct Case {
        const char* what;
        std::vector<std::pair<std::string, std::string>> known;  // key, e-mail
        std::vector<Event> before;                               // earlier orders of the referee
        Order order;
        std::string reason;
    };
    const Order plain = rules_order("k0", {line("l1", 10000)});
    const std::string by_id = "shop:shop1:customer:9";
    const Case cases[] = {
        {"a code nobody has", {{k_anna, k_anna}}, {}, referred_order("k1", 10000, "R0000000000"),
         "unknown referral code R0000000000"},
        {"a code of a customer not known yet", {}, {}, referred_order("k1", 10000, anna_code),
         "unknown referral code " + anna_code},
        {"the customer's own code", {{k_anna, k_anna}}, {}, referred_order("a1", 10000, anna_code, k_anna),
         "self-referral: code " + anna_code + " is the customer's own"},
        {"the code of the same e-mail under another key", {{by_id, "Kari@Example.com"}}, {},
         referred_order("k1", 10000, referral_code("shop1", by_id)),
         "self-referral: code " + referral_code("shop1", by_id) + " is the customer's own"},
        {"a customer who paid an order before", {{k_anna, k_anna}}, {paid("k0-paid", k_t0 - k_day, plain)},
         referred_order("k1", 10000, anna_code), "not a first order: the customer had paid an order before"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        RulesHarness h(referral_program());
        for (const auto& [key, email] : c.known) h.know(key, email);
        for (const auto& e : c.before) h.deliver(e, e.occurred_at);
        const Balance before = h.balance(c.order.customer.email);
        const auto added = h.deliver(paid(c.order.id + "-paid", k_t0, c.order), k_t0);
        const auto lines = referral_lines(added);
        REQUIRE(lines.size() == 1);
        const auto refused = h.of_kind(EntryKind::referral_refused);
        REQUIRE(refused.size() == 1);
        CHECK(refused[0].key == "shop1:referral:" + c.order.customer.email + ":refused:" + c.order.id);
        CHECK(refused[0].reason == c.reason);
        CHECK(refused[0].pending_delta == 0);
        CHECK(refused[0].available_delta == 0);
        CHECK(h.balance(c.order.customer.email).pending - before.pending == 100);  // the order's own points
        // A decision once recorded stands, even when the code becomes known later.
        h.know(k_anna);
        CHECK(referral_lines(h.deliver(paid(c.order.id + "-paid", k_t0, c.order), k_t0 + k_day)).empty());
        CHECK(h.tick(k_t0 + 30 * k_day).size() >= 1);  // the order's release, no referral reward
        CHECK(h.of_kind(EntryKind::referral_reward).empty());
    }
}

TEST_CASE("referrals are off by default: a code on an order writes nothing") {
    RulesHarness h(Rules{});
    h.know(k_anna);
    h.deliver(paid("k1-paid", k_t0, referred_order("k1", 10000, referral_code("shop1", k_anna))), k_t0);
    CHECK(h.of_kind(EntryKind::referral_reward).empty());
    CHECK(h.of_kind(EntryKind::referral_refused).empty());
}

TEST_CASE("a code is matched whatever its case and surrounding spaces") {
    const std::string code = referral_code("shop1", k_anna);
    std::string typed = " " + code + "\n";
    for (char& ch : typed) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    CHECK(normalise_referral_code(typed) == code);
    CHECK(referral_code("shop2", k_anna) != code);
}

TEST_CASE("a referral's entries are the same whatever order the first order's events arrive in") {
    const std::string code = referral_code("shop1", k_anna);
    const Order first = referred_order("k1", 100000, code);
    const std::vector<Event> events = {paid("k1-paid", k_t0, first), partial_refund("k1-part", k_t0 + k_day, first, 500),
                                       full_refund("k1-refund", k_t0 + 2 * k_day, first)};
    RulesHarness in_order(referral_program()), reversed(referral_program()), repeated(referral_program());
    for (auto* h : {&in_order, &reversed, &repeated}) h->know(k_anna);
    for (const auto& e : events) in_order.deliver(e, k_t0 + 3 * k_day);
    for (auto it = events.rbegin(); it != events.rend(); ++it) reversed.deliver(*it, k_t0 + 3 * k_day);
    for (int i = 0; i < 2; ++i) {
        for (const auto& e : events) repeated.deliver(e, k_t0 + 3 * k_day + i);
    }
    CHECK(referral_lines(in_order.entries()).size() == 4);  // held and reversed, both sides
    CHECK(reversed.by_key() == in_order.by_key());
    CHECK(repeated.by_key() == in_order.by_key());
    CHECK(in_order.balance(k_anna) == Balance{});
}
