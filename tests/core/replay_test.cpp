// Replay: rebuilding the ledger from the event log under the recorded rules gives the identical
// ledger, whatever the delivery order, repetition or batching of the live run.
#include <doctest/doctest.h>

#include <map>

#include "core/history_generator.hpp"

using namespace rewardd;
using namespace rewardd::test;

namespace {

// Replays the whole log at once, order by order, the way a rebuild does.
std::map<std::string, LedgerEntry> rebuild(const std::vector<GeneratedEvent>& log, Timestamp now) {
    RewardEngine engine{RuleBook{{Rules{}}}};
    std::map<std::string, std::vector<Event>> orders;
    for (const auto& g : log) orders[g.event.order->id].push_back(g.event);
    std::map<std::string, LedgerEntry> out;
    for (const auto& [_, events] : orders) {
        for (auto& e : engine.apply_order(events, {}, now).new_entries) out.emplace(e.key, e);
    }
    return out;
}

}  // namespace

TEST_CASE("a generated history of 10,000 events replays to an identical ledger") {
    const auto log = generate_history(10000, 42);
    REQUIRE(log.size() >= 10000);
    const Timestamp end = log.back().received_at + 60 * k_seconds_per_day;

    EngineHarness live;
    Timestamp last_tick = 0;
    for (const auto& g : log) {
        if (g.received_at - last_tick >= 3600) {  // the writer's periodic release check
            live.tick(g.received_at);
            last_tick = g.received_at;
        }
        live.deliver(g.event, g.received_at);
    }
    live.tick(end);
    CHECK(live.conflicts() == 0);

    const auto replayed = rebuild(log, end);
    CHECK(replayed.size() == live.entries().size());
    CHECK(replayed == live.by_key());
}

TEST_CASE("shuffled deliveries with every event repeated up to three times give the same ledger") {
    const auto log = generate_history(3000, 7);
    const Timestamp end = log.back().received_at + 60 * k_seconds_per_day;
    std::vector<GeneratedEvent> noisy;
    std::mt19937 rng(99);
    for (const auto& g : log) {
        const int copies = 1 + static_cast<int>(rng() % 3);
        for (int i = 0; i < copies; ++i) noisy.push_back(g);
    }
    std::shuffle(noisy.begin(), noisy.end(), rng);

    EngineHarness shuffled;
    for (const auto& g : noisy) shuffled.deliver(g.event, log.front().received_at);
    shuffled.tick(end);
    CHECK(shuffled.conflicts() == 0);
    CHECK(shuffled.by_key() == rebuild(log, end));
}

TEST_CASE("every customer's balance equals the sum of their entries and never goes negative here") {
    const auto log = generate_history(5000, 3);
    const Timestamp end = log.back().received_at + 60 * k_seconds_per_day;
    const auto ledger = rebuild(log, end);
    std::map<std::string, Balance> balances;
    for (const auto& [_, e] : ledger) add_to_balance(balances[e.customer], e);
    std::int64_t earned = 0, clawed = 0;
    for (const auto& [_, e] : ledger) {
        if (e.kind == EntryKind::earn_pending) earned += e.pending_delta;
        if (e.kind == EntryKind::claw_back || e.kind == EntryKind::reverse) clawed -= e.pending_delta + e.available_delta;
    }
    std::int64_t total_available = 0;
    for (const auto& [customer, b] : balances) {
        CAPTURE(customer);
        CHECK(b.pending == 0);  // everything is past its pending period at `end`
        CHECK(b.available >= 0);
        total_available += b.available;
    }
    CHECK(total_available == earned - clawed);
}
