// Balance arithmetic: one place decides what counts as earned.
#include "balance.hpp"

namespace rewardd {

void add_to_balance(Balance& b, const LedgerEntry& e) {
    b.available += e.available_delta;
    b.pending += e.pending_delta;
    if (e.kind == EntryKind::earn_pending) b.lifetime_earned += e.pending_delta;
    if (e.kind == EntryKind::claw_back || e.kind == EntryKind::reverse) {
        b.lifetime_earned += e.pending_delta + e.available_delta;
    }
    if (e.kind == EntryKind::adjust && e.available_delta > 0) b.lifetime_earned += e.available_delta;
    // A referral reward counts when held, moves nothing at release and is undone by its reversal.
    if (e.kind == EntryKind::referral_reward) b.lifetime_earned += e.pending_delta + e.available_delta;
    // Points turned into a code count as redeemed; a code released unused gives them back, and a
    // released code an order used after all takes them again (its commit then moves points).
    if (e.kind == EntryKind::reserve || e.kind == EntryKind::reserve_release || e.kind == EntryKind::redeem_commit) {
        b.lifetime_redeemed -= e.available_delta;
    }
}

Balance sum_entries(const std::vector<LedgerEntry>& entries) {
    Balance b;
    for (const auto& e : entries) add_to_balance(b, e);
    return b;
}

}  // namespace rewardd
