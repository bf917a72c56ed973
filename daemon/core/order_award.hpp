// Computes the ledger entries an order's events call for: earning per line, release after the
// pending period, claw-backs for refunds, reversal on cancellation or full refund, and the
// referral a first order carries (referral_award.hpp).
//
// The order's events are walked in business-time order (occurred_at), whatever order they arrived
// in, so duplicates, late and out-of-order deliveries all lead to the same ledger. Entries that
// already exist are frozen facts: the walk uses their recorded amounts (a late fact is applied as
// a correction from where things stand) and only entries not yet written are returned.
//
// The tier an order earns at comes from the spend before its payment, which a late order, refund
// or cancellation can still change after the earnings were written. The earnings stay as
// written; at release (a business instant every delivery order reaches alike) each line whose
// earning under the tier the ledger now knows differs is settled under ":earn:<l>:settle", so the
// released points are what an in-order delivery would have released.
//
// A restore (a WooCommerce order taken out of the trash) after a cancellation brings the award
// back as it stood when cancelled: the n-th restore re-earns each line under ":earn:<l>:restore:<n>"
// and a later cancellation reverses again under ":restore:<n>:reverse".
#pragma once

#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "event.hpp"
#include "ledger_entry.hpp"
#include "referral_award.hpp"
#include "rules.hpp"
#include "tier_timeline.hpp"

namespace rewardd {

struct OrderOutcome {
    std::vector<LedgerEntry> new_entries;
    std::vector<std::string> conflicts;        // existing keys whose content the events contradict
    std::optional<Timestamp> next_release_at;  // when the order's pending points become due
    // Refunds (by id) that took nothing back: their amount is in a currency the order tells no
    // rate for (an order stored before rewardd kept the buyer's total), so it cannot be weighed.
    std::vector<std::string> unweighed_refunds;
};

class OrderAward {
public:
    // `history` is the customer's spend from other orders (tiers); without it the order earns as
    // if the customer had no tier.
    OrderAward(const RuleBook& rules, const std::vector<LedgerEntry>& existing,
               const CustomerHistory* history = nullptr);
    OrderOutcome run(const std::vector<Event>& events, Timestamp now);

private:
    struct LineState {
        std::string id;
        std::int64_t total_minor = 0;
        std::int64_t points = 0;
        std::int64_t clawed = 0;
        std::int64_t refunded_minor = 0;
        bool settled = false;  // fully refunded and its rounding rest taken back
        std::int64_t base_minor = 0;
        std::string earn_key;  // the line's latest earning: the first, or its re-earn on a restore
        std::int64_t should_points = 0;  // under the tier the ledger knows now (see settle_tier_change)
        std::string should_rate;
        std::vector<std::int64_t> refunded_shares;  // the amount each claw-back's share came from
    };
    struct PendingRefund {
        Refund refund;
        Timestamp at = 0;
        std::string event_id;
        bool applied = false;
        std::string currency;          // of refund.amount_minor
        std::int64_t amount_minor = 0;  // in the order's currency, once weighed (apply_refund)
        std::string weighed;           // how a refund in the buyer's currency was weighed, for its reason
    };

    // Releases the points when their time has come by `t`, unless the order was cancelled before
    // (`cancelled_at`: a cancellation the walk has not reached yet).
    void release_if_due(Timestamp t, Timestamp cancelled_at = std::numeric_limits<Timestamp>::max());
    void handle(const Event& event);
    void settle();
    void earn(const Event& event);
    LedgerEntry earn_entry(const Event& event, std::size_t line, const LinePlan& plan) const;
    std::string line_rate(const LinePlan& plan) const;
    std::pair<TierStatus, EarningPlan> recorded_earning(const Event& event, const EarningPlan& now_plan,
                                                        const TierStatus& now) const;
    bool plan_recorded(const Event& event, const EarningPlan& plan) const;
    void settle_tier_change(Timestamp due);
    static std::int64_t clawed_from(const LineState& line, std::int64_t points);
    void restore(const Event& event);
    std::string life_key(const std::string& suffix) const;
    // "<shop>:order:<id>:<suffix>": every key this order's entries carry.
    std::string own_key(const std::string& suffix) const;
    // What a refund's facts about the order need before the walk: the buyer's total and the lines
    // that earn nothing, from whichever of the order's events carries them.
    void learn_order_facts(const std::vector<Event>& events);
    void apply_refund(PendingRefund& refund);
    // Sets refund.amount_minor to the refund's amount in the order's currency; false when it is in
    // another currency the order tells no rate for.
    bool weigh_refund(PendingRefund& refund) const;
    void keep_recorded_claw_backs(const std::string& refund_id);
    bool reversal_recorded() const;
    // Whether the ledger already holds this order's release (or its cashback falling due): a
    // release once recorded stands, whatever a later walk learns.
    bool release_recorded() const;
    bool refund_recorded(const std::string& refund_id) const;
    void claw_back_lines(const PendingRefund& refund);
    void settle_refunded_lines(const PendingRefund& refund);
    std::vector<std::int64_t> refunded_per_line(const PendingRefund& refund) const;
    void earn_cashback(const EarningPlan& plan, const Event& event);
    void reverse_cashback(Timestamp at, const std::string& event_id, const std::string& reason);
    void reverse(Timestamp at, const std::string& key_suffix, const std::string& event_id,
                 const std::string& reason);
    std::optional<Timestamp> release_at() const;
    LedgerEntry base_entry(EntryKind kind, const std::string& key_suffix, Timestamp at,
                           const std::string& event_id) const;
    const LedgerEntry& commit(const LedgerEntry& candidate);
    void absorb_unvisited_entries(const std::string& reversal_key, Timestamp at);
    // Counts a recorded entry the walk did not write itself into the order's standing, once;
    // false when it was counted already.
    bool absorb_recorded(const std::string& key, const LedgerEntry& entry);

    const RuleBook& m_rules;
    const CustomerHistory* m_history;
    std::map<std::string, LedgerEntry> m_existing;
    std::set<std::string> m_visited;  // existing keys the walk has re-derived
    OrderOutcome m_outcome;
    ReferralAward m_referral{m_existing, m_outcome.new_entries, m_outcome.conflicts};

    std::string m_shop_id;
    std::string m_order_id;
    std::optional<Order> m_order;  // the snapshot points were earned on
    std::string m_customer;
    const Rules* m_earn_rules = nullptr;
    std::string m_tier_recorded;  // the tier the earnings were written under
    std::string m_tier_now;       // the tier the spend before payment gives now
    std::vector<LineState> m_lines;
    std::vector<PendingRefund> m_refunds;
    std::int64_t m_refunded_total_minor = 0;
    std::optional<Order::Presentment> m_presentment;  // the buyer's currency and total, when not the shop's
    std::int64_t m_refunded_presentment_minor = 0;    // refunds given in it, as given
    std::set<std::string> m_non_earning_lines;
    std::int64_t m_pending = 0;
    std::int64_t m_available = 0;
    std::int64_t m_cashback_held = 0;  // cashback not yet due nor reversed
    std::optional<Timestamp> m_paid_at;
    std::optional<Timestamp> m_completed_at;
    std::optional<std::pair<Timestamp, std::string>> m_cancel;  // when, by which event
    bool m_released = false;
    bool m_voided = false;
    bool m_voided_by_cancel = false;  // a restore brings back only what a cancellation took
    int m_restores = 0;               // restores that brought the award back, in walk order
    Timestamp m_restored_at = 0;      // the latest of them: nothing is released before it
    std::vector<Timestamp> m_restore_times;  // of every restore event, to bound a reversal's reach
};

}  // namespace rewardd
