// Thin composition over OrderAward; the place later rules (tiers, referrals) will hook in.
#include "reward_engine.hpp"

#include "customer_key.hpp"

namespace rewardd {

OrderOutcome RewardEngine::apply_order(const std::vector<Event>& order_events,
                                       const std::vector<LedgerEntry>& existing, Timestamp now) const {
    OrderAward award(m_rules, existing);
    return award.run(order_events, now);
}

OrderOutcome RewardEngine::apply_order(const std::vector<Event>& order_events,
                                       const std::vector<LedgerEntry>& existing,
                                       const CustomerHistory& history, Timestamp now) const {
    OrderAward award(m_rules, existing, &history);
    return award.run(order_events, now);
}

LedgerEntry RewardEngine::adjustment_entry(const Event& event) const {
    LedgerEntry e;
    e.key = event.shop_id + ":adjust:" + event.id;
    e.customer = event.customer ? customer_key(event.shop_id, *event.customer) : "";
    e.shop_id = event.shop_id;
    e.kind = EntryKind::adjust;
    e.available_delta = event.adjustment ? event.adjustment->points : 0;
    e.reason = event.adjustment ? event.adjustment->reason : "";
    e.event_id = event.id;
    e.effective_at = event.occurred_at;
    return e;
}

}  // namespace rewardd
