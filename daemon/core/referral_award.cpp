// Referral decisions and their held rewards; see referral_award.hpp for the keys.
#include "referral_award.hpp"

#include "customer_key.hpp"
#include "referral_code.hpp"

namespace rewardd {
namespace {

bool same_person(const Referrer& referrer, const ReferralOrder& order) {
    const CustomerRef& who = order.order->customer;
    if (referrer.key == order.referee) return true;
    const std::string email = normalise_email(who.email);
    if (!email.empty() && normalise_email(referrer.email) == email) return true;
    return !who.id.empty() && referrer.key == "shop:" + order.shop_id + ":customer:" + who.id;
}

}  // namespace

std::string referral_base_key(const std::string& shop_id, const std::string& referee) {
    return shop_id + ":referral:" + referee;
}

void ReferralAward::on_paid(const Rules& rules, const ReferralOrder& order, const CustomerHistory& history) {
    const Order& o = *order.order;
    if (!o.referral_code || normalise_referral_code(*o.referral_code).empty() || order.referee.empty()) return;
    if (rules.referral.referee_points == 0 && rules.referral.referrer_points == 0) return;  // referrals off
    const std::string base = referral_base_key(order.shop_id, order.referee);
    if (restore_recorded(base, o.id)) return;

    LedgerEntry e;
    e.customer = order.referee;
    e.shop_id = order.shop_id;
    e.order_id = o.id;
    e.rule_version = order.rule_version;
    e.event_id = order.event_id;
    e.effective_at = order.paid_at;
    e.rate = normalise_referral_code(*o.referral_code);
    if (const auto reason = refusal(order, history)) {
        e.key = base + ":refused:" + o.id;
        e.kind = EntryKind::referral_refused;
        e.reason = *reason;
        commit(e);
        return;
    }
    e.kind = EntryKind::referral_reward;
    e.key = base + ":welcome";
    e.pending_delta = rules.referral.referee_points;
    e.reason = "welcome: referred by code " + e.rate + ", held until the order's pending period ends";
    const LedgerEntry welcome = commit(e);
    e.key = base + ":referrer";
    e.customer = history.referrer->key;
    e.pending_delta = rules.referral.referrer_points;
    e.refers_to = welcome.key;
    e.reason = "referred " + mask_email(order.referee) + ", held until their first order's pending period ends";
    const LedgerEntry referrer = commit(e);
    for (const auto& held : {welcome, referrer}) {
        if (held.pending_delta > 0) m_held.push_back(held);
    }
}

std::optional<std::string> ReferralAward::refusal(const ReferralOrder& order, const CustomerHistory& history) const {
    const std::string code = normalise_referral_code(*order.order->referral_code);
    if (!history.referrer) return "unknown referral code " + code;
    if (same_person(*history.referrer, order)) return "self-referral: code " + code + " is the customer's own";
    if (history.referred) return "already referred: a customer is referred once";
    if (paid_before(history, order.paid_at)) return "not a first order: the customer had paid an order before";
    return std::nullopt;
}

// A decision already recorded for this order stands: the walk re-derives it from the entries.
bool ReferralAward::restore_recorded(const std::string& base, const std::string& order_id) {
    if (const auto it = m_existing.find(base + ":refused:" + order_id); it != m_existing.end()) return true;
    bool found = false;
    for (const char* role : {":welcome", ":referrer"}) {
        const auto it = m_existing.find(base + role);
        if (it == m_existing.end()) continue;
        found = true;
        if (it->second.pending_delta > 0) m_held.push_back(it->second);
    }
    return found;
}

void ReferralAward::on_release(Timestamp at) {
    settle_held("release", at, "", true, "released: the referee's first order is past its pending period");
}

void ReferralAward::on_void(Timestamp at, const std::string& event_id, const std::string& reason) {
    settle_held("reverse", at, event_id, false, "reversed: " + reason + " before its pending period ended");
}

void ReferralAward::settle_held(const char* step, Timestamp at, const std::string& event_id, bool release,
                                const std::string& reason) {
    for (const auto& held : m_held) {
        LedgerEntry e = held;
        e.key = held.key + ":" + step;
        e.pending_delta = -held.pending_delta;
        e.available_delta = release ? held.pending_delta : 0;
        e.event_id = event_id;
        e.effective_at = at;
        e.refers_to = held.key;
        e.reason = reason;
        commit(e);
    }
    m_held.clear();
}

const LedgerEntry& ReferralAward::commit(const LedgerEntry& candidate) {
    const auto it = m_existing.find(candidate.key);
    if (it == m_existing.end()) {
        m_out.push_back(candidate);
        return m_out.back();
    }
    if (!(it->second == candidate)) m_conflicts.push_back(candidate.key);
    return it->second;
}

}  // namespace rewardd
