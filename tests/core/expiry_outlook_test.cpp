// The expiry outlook a walk gives, kept and read later (store/customer_outlook): with no entry
// written since, what a walk at a later instant tells is the kept list without the instants
// that have passed. Random ledgers under lifetime and inactivity expiry and two rules versions.
#include <doctest/doctest.h>

#include <random>

#include "core/customer_walk.hpp"

using namespace rewardd;

namespace {

constexpr Timestamp k_start = 1767225600;  // 2026-01-01T00:00:00Z
constexpr Timestamp k_day = k_seconds_per_day;

RuleBook program() {
    Rules lifetime;
    lifetime.version = 1;
    lifetime.expiry.lifetime_days = 30;
    Rules idle;
    idle.version = 2;
    idle.effective_from = k_start + 60 * k_day;
    idle.expiry.inactive_days = 20;
    idle.expiry.lifetime_days = 45;
    return RuleBook({lifetime, idle});
}

LedgerEntry entry(std::mt19937& random, int n) {
    const std::string order = std::to_string(n % 7);
    LedgerEntry e;
    e.customer = "kari@example.com";
    e.shop_id = "shop1";
    e.effective_at = k_start + static_cast<Timestamp>(random() % (100 * k_day));
    switch (random() % 4) {
        case 0:  // an order's points released, or taken back by a refund of that order
        case 1:
            e.kind = random() % 3 == 0 ? EntryKind::claw_back : EntryKind::release;
            e.order_id = order;
            e.key = "shop1:order:" + order + ":" + std::to_string(n);
            e.available_delta = (e.kind == EntryKind::release ? 1 : -1) * static_cast<std::int64_t>(1 + random() % 300);
            break;
        case 2:  // earned, still pending: activity only
            e.kind = EntryKind::earn_pending;
            e.order_id = order;
            e.key = "shop1:order:" + order + ":earn:" + std::to_string(n);
            e.pending_delta = static_cast<std::int64_t>(1 + random() % 300);
            break;
        default:
            e.kind = EntryKind::adjust;
            e.key = "shop1:adjust:" + std::to_string(n);
            e.available_delta = static_cast<std::int64_t>(random() % 400) - 150;
    }
    return e;
}

}  // namespace

TEST_CASE("a kept outlook, read later with nothing written since, tells what a walk then would") {
    const RuleBook rules = program();
    std::mt19937 random(7);
    for (int ledger = 0; ledger < 300; ++ledger) {
        std::vector<LedgerEntry> entries;
        const int size = static_cast<int>(random() % 40);
        for (int n = 0; n < size; ++n) entries.push_back(entry(random, n));
        // The walk that kept it writes the expiries due by then: later walks see those entries.
        const Timestamp walked_at = k_start + static_cast<Timestamp>(random() % (130 * k_day));
        const auto kept = walk_customer(rules, "kari@example.com", entries, walked_at);
        entries.insert(entries.end(), kept.new_entries.begin(), kept.new_entries.end());
        for (const Timestamp later : {walked_at, walked_at + 1, walked_at + 3 * k_day, walked_at + 25 * k_day,
                                      walked_at + 50 * k_day, walked_at + 400 * k_day}) {
            CAPTURE(ledger);
            CAPTURE(later - walked_at);
            CHECK(expiring_after(kept.expiring, later) ==
                  walk_customer(rules, "kari@example.com", entries, later).expiring);
        }
    }
}

TEST_CASE("an outlook read at a later instant drops exactly the instants that have come") {
    const std::vector<ExpiringPoints> kept{{100, 5}, {200, 7}, {300, 9}};
    CHECK(expiring_after(kept, 99) == kept);
    CHECK(expiring_after(kept, 100) == std::vector<ExpiringPoints>{{200, 7}, {300, 9}});
    CHECK(expiring_after(kept, 299) == std::vector<ExpiringPoints>{{300, 9}});
    CHECK(expiring_after(kept, 300).empty());
}
