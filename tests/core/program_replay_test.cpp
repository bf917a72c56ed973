// Replay of a generated program history of 100,000 events mixing every rule (mixed_history.hpp):
// delivered with repeats and extra periodic checks it gives the same ledger as a plain
// one-by-one replay of the log, and every customer's balance is the sum of their entries.
#include <doctest/doctest.h>

#include <memory>

#include "core/mixed_history.hpp"
#include "core/redemption.hpp"

using namespace rewardd;
using namespace rewardd::test;

namespace {

// A redemption step as the CLI/API does it: priced against the available balance at that instant.
void redeem(RulesHarness& h, const RuleBook& rules, const Step& s) {
    const auto existing = h.customer_entries(s.customer);
    if (s.kind == StepKind::redeem) {
        const RedemptionRequest request{"shop1", s.redemption_id, s.customer, s.points, "EUR", std::nullopt, s.at, ""};
        const auto plan = plan_redemption(rules.at(s.at), request, h.balance(s.customer).available, existing);
        if (plan) h.append({plan->reserve}, s.at);
        return;
    }
    const auto entry = s.kind == StepKind::redeem_commit
                           ? commit_redemption("shop1", s.redemption_id, existing, "used-" + s.redemption_id, s.at)
                           : release_redemption("shop1", s.redemption_id, existing, s.at);
    if (entry) h.append({*entry}, s.at);
}

void apply(RulesHarness& h, const MixedHistory& history, const Step& s, Timestamp now) {
    if (s.kind == StepKind::event) {
        h.deliver(s.event, now);
    } else {
        redeem(h, history.rules, s);
    }
}

// The writer's order of work: wake-ups due first, then the step. `noisy` adds repeated deliveries
// (at once and a few steps later) and periodic checks between steps.
std::unique_ptr<RulesHarness> replay(const MixedHistory& history, bool noisy, Timestamp end) {
    auto h = std::make_unique<RulesHarness>(history.rules);
    std::mt19937 rng(2026);
    std::vector<const Step*> repeats;
    Timestamp last_check = 0;
    for (const auto& s : history.steps) {
        if (noisy && s.at - last_check >= 3600) {  // an hourly check, before catching up to the step
            h->tick(s.at - 1);
            last_check = s.at;
        }
        h->tick(s.at);
        apply(*h, history, s, s.at);
        if (!noisy || s.kind != StepKind::event) continue;
        if (rng() % 4 == 0) h->deliver(s.event, s.at);
        if (rng() % 5 == 0) repeats.push_back(&s);
        if (repeats.size() > 8) {
            for (const Step* r : repeats) h->deliver(r->event, s.at);
            repeats.clear();
        }
    }
    h->tick(end);
    return h;
}

}  // namespace

TEST_CASE("a generated program history of 100,000 events replays to an identical ledger") {
    const auto history = generate_mixed_history(100000, 11);
    REQUIRE(history.events >= 100000);
    const Timestamp end = history.steps.back().at + 60 * k_seconds_per_day;

    const auto plain = replay(history, false, end);
    const auto noisy = replay(history, true, end);
    const auto ledger = plain->by_key();
    CHECK(ledger.size() == plain->entries().size());
    CHECK(noisy->entries().size() == plain->entries().size());
    CHECK(noisy->by_key() == ledger);

    // Every rule left its mark, so the equality above covers them all.
    std::map<EntryKind, std::size_t> kinds;
    for (const auto& [_, e] : ledger) ++kinds[e.kind];
    for (const auto kind : {EntryKind::earn_pending, EntryKind::release, EntryKind::claw_back, EntryKind::reverse,
                            EntryKind::adjust, EntryKind::cashback, EntryKind::cashback_due,
                            EntryKind::cashback_reverse, EntryKind::tier_change, EntryKind::expire,
                            EntryKind::negative_balance, EntryKind::referral_reward, EntryKind::referral_refused,
                            EntryKind::reserve, EntryKind::reserve_release, EntryKind::redeem_commit}) {
        CAPTURE(std::string(entry_kind_id(kind)));
        CHECK(kinds[kind] > 0);
    }
    std::set<int> versions;
    for (const auto& [_, e] : ledger) versions.insert(e.rule_version);
    CHECK(versions.count(1) == 1);
    CHECK(versions.count(2) == 1);

    // Balances: the sum of each customer's entries, whichever index they are read through, and
    // nothing is left pending once every order is past its pending period.
    std::map<std::string, Balance> summed;
    for (const auto& [_, e] : ledger) add_to_balance(summed[e.customer], e);
    CHECK(summed.size() == plain->customers().size());
    for (const auto& [customer, balance] : summed) {
        CAPTURE(customer);
        CHECK(plain->balance(customer) == balance);
        CHECK(noisy->balance(customer) == balance);
        CHECK(balance.pending == 0);
    }
    for (std::size_t i = 0; i < 5 && i < plain->conflict_keys().size(); ++i) MESSAGE(plain->conflict_keys()[i]);
    MESSAGE("entries " << ledger.size() << ", customers " << summed.size() << ", conflicts plain "
                       << plain->conflicts() << " noisy " << noisy->conflicts());
}
