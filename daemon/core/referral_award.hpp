// Referrals inside an order's walk: the referee's first paid order carrying a referral code holds
// a welcome reward for the referee and a reward for the referrer; both are released with the
// order's points once its pending period is over, and reversed if the order is cancelled or fully
// refunded before that. A refused referral is an entry with no points and the reason. Pure.
//
// Keys, all scoped by shop and referee so a referee can be referred only once:
//   "<shop>:referral:<referee>:welcome"   referee's reward, held      (referral_reward, +pending)
//   "<shop>:referral:<referee>:referrer"  referrer's reward, held     (referral_reward, +pending)
//   "...:welcome:release", "...:referrer:release"   pending -> available (referral_reward)
//   "...:welcome:reverse", "...:referrer:reverse"   the hold taken back (referral_reward, -pending)
//   "<shop>:referral:<referee>:refused:<order>"     refused, with the reason (referral_refused)
// Every entry carries the referee's order id, so the order's walk finds them as its own facts:
// a decision once recorded stands, whatever the customers known later.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "event.hpp"
#include "ledger_entry.hpp"
#include "rules.hpp"
#include "tier_timeline.hpp"

namespace rewardd {

// The facts of the order a referral decision needs.
struct ReferralOrder {
    std::string shop_id;
    const Order* order = nullptr;
    std::string referee;  // the order's customer key
    Timestamp paid_at = 0;
    std::string event_id;  // the paid event
    int rule_version = 0;
};

class ReferralAward {
public:
    // `existing` are the order's entries, by key; `out` collects new entries and conflicts.
    ReferralAward(const std::map<std::string, LedgerEntry>& existing, std::vector<LedgerEntry>& out,
                  std::vector<std::string>& conflicts)
        : m_existing(existing), m_out(out), m_conflicts(conflicts) {}

    // At the order's payment: grants (held) or refuses, or re-derives the decision recorded.
    void on_paid(const Rules& rules, const ReferralOrder& order, const CustomerHistory& history);
    // The order's pending period is over: the held rewards become available.
    void on_release(Timestamp at);
    // The order was cancelled or fully refunded before release: the held rewards are taken back.
    void on_void(Timestamp at, const std::string& event_id, const std::string& reason);
    // Whether rewards are held awaiting the order's release.
    bool held() const { return !m_held.empty(); }

private:
    std::optional<std::string> refusal(const ReferralOrder& order, const CustomerHistory& history) const;
    bool restore_recorded(const std::string& base, const std::string& order_id);
    void settle_held(const char* step, Timestamp at, const std::string& event_id, bool release,
                     const std::string& reason);
    const LedgerEntry& commit(const LedgerEntry& candidate);

    const std::map<std::string, LedgerEntry>& m_existing;
    std::vector<LedgerEntry>& m_out;
    std::vector<std::string>& m_conflicts;
    std::vector<LedgerEntry> m_held;  // the hold entries with points, as recorded
};

// The referral key prefix of a referee in a shop: "<shop>:referral:<referee>".
std::string referral_base_key(const std::string& shop_id, const std::string& referee);

}  // namespace rewardd
