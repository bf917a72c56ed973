// The lot walk: the customer's entries in business-time order, expiries inserted at their exact
// instants, outflows taking the oldest lots first. Entries already written are frozen facts: the
// walk re-derives them by key and uses their recorded amounts.
#include "lot_book.hpp"

#include <algorithm>
#include <iterator>
#include <tuple>

namespace rewardd {
namespace {

bool takes_back_earnings(const LedgerEntry& e) {
    return e.kind == EntryKind::claw_back || e.kind == EntryKind::reverse;
}

std::string order_prefix(const LedgerEntry& e) {
    return e.order_id.empty() ? std::string{} : e.shop_id + ":order:" + e.order_id + ":";
}

}  // namespace

bool is_activity(const LedgerEntry& e) {
    switch (e.kind) {
        case EntryKind::earn_pending:
        case EntryKind::release:
        case EntryKind::adjust:
        case EntryKind::reserve:
        case EntryKind::redeem_commit:
        case EntryKind::referral_reward:
            return true;
        default:
            return false;
    }
}

std::vector<ExpiringPoints> expiring_after(const std::vector<ExpiringPoints>& outlook, Timestamp now) {
    std::vector<ExpiringPoints> ahead;
    std::copy_if(outlook.begin(), outlook.end(), std::back_inserter(ahead), [&](const ExpiringPoints& e) { return e.at > now; });
    return ahead;
}

LotBook::LotBook(const RuleBook& rules, std::vector<const LedgerEntry*> customer_entries)
    : m_rules(rules), m_entries(std::move(customer_entries)) {
    // Inflows before outflows at the same instant, so a release and a spend in one second agree.
    // std::tie, not make_tuple: comparing must not copy the keys (this sort runs on every walk).
    std::stable_sort(m_entries.begin(), m_entries.end(), [](const LedgerEntry* a, const LedgerEntry* b) {
        const bool a_out = a->available_delta <= 0, b_out = b->available_delta <= 0;
        return std::tie(a->effective_at, a_out, a->key) < std::tie(b->effective_at, b_out, b->key);
    });
    m_existing.reserve(m_entries.size());
    for (const LedgerEntry* e : m_entries) m_existing.emplace(e->key, e);
}

LotOutcome LotBook::run(Timestamp now) {
    for (const LedgerEntry* entry : m_entries) {
        expire_due(entry->effective_at);
        process(*entry);
    }
    expire_due(now);
    std::map<Timestamp, std::int64_t> by_instant;
    for (const auto& lot : m_lots) {
        if (lot.expired || lot.remaining <= 0) continue;
        if (const auto at = lot_expiry(lot)) by_instant[*at] += lot.remaining;
    }
    for (const auto& [at, points] : by_instant) m_outcome.upcoming.push_back({at, points});
    if (!by_instant.empty()) m_outcome.next_check_at = by_instant.begin()->first;
    return std::move(m_outcome);
}

void LotBook::process(const LedgerEntry& e) {
    if (!m_visited.insert(e.key).second) return;  // re-derived by the walk already
    if (is_activity(e)) m_last_activity = e.effective_at;
    if (e.kind == EntryKind::expire) {
        // An expiry written under other circumstances (an older view): it still took its lot.
        if (const auto it = m_lot_by_key.find(e.refers_to); it != m_lot_by_key.end()) {
            Lot& lot = m_lots[it->second];
            lot.expired_points += std::min(lot.remaining, -e.available_delta);
            lot.remaining = std::max<std::int64_t>(0, lot.remaining + e.available_delta);
            lot.expired = true;
        }
        return;
    }
    if (e.kind == EntryKind::negative_balance) {
        m_debt = std::max<std::int64_t>(0, m_debt - e.available_delta);
        return;
    }
    if (e.available_delta > 0) add_lot(e);
    if (e.available_delta < 0) take(e, -e.available_delta);
}

void LotBook::add_lot(const LedgerEntry& e) {
    const std::int64_t repaid = std::min(m_debt, e.available_delta);
    m_debt -= repaid;
    Lot lot{e.key, e.shop_id, order_prefix(e), e.effective_at, e.available_delta - repaid, 0, std::nullopt, 0, false};
    const Rules& rules = m_rules.at(e.effective_at);
    if (rules.expiry.lifetime_days > 0) {
        lot.lifetime_end = e.effective_at + rules.expiry.lifetime_days * k_seconds_per_day;
        lot.lifetime_version = rules.version;
    }
    const std::size_t index = m_lots.size();
    if (lot.lifetime_end) m_lifetime_ends.emplace(*lot.lifetime_end, index);
    if (!lot.order_ref.empty()) m_lots_by_order[lot.order_ref].push_back(index);
    m_lot_by_key.emplace(e.key, index);  // e is one of m_entries: its key stays put
    m_live.push_back(index);
    m_lots.push_back(std::move(lot));
}

const std::vector<std::size_t>& LotBook::live_lots() {
    std::erase_if(m_live, [&](std::size_t i) { return !live(m_lots[i]); });
    return m_live;
}

LotBook::Lot* LotBook::lifetime_due(Timestamp t) {
    while (!m_lifetime_ends.empty() && !live(m_lots[m_lifetime_ends.top().second])) m_lifetime_ends.pop();
    if (m_lifetime_ends.empty() || m_lifetime_ends.top().first > t) return nullptr;
    return &m_lots[m_lifetime_ends.top().second];
}

std::int64_t LotBook::take_from(Lot& lot, std::int64_t points) {
    if (lot.expired || lot.remaining <= 0) return 0;
    const std::int64_t taken = std::min(lot.remaining, points);
    lot.remaining -= taken;
    return taken;
}

void LotBook::take(const LedgerEntry& e, std::int64_t points) {
    if (takes_back_earnings(e)) {
        const std::string own = order_prefix(e);  // a claw-back takes from its own order's lot first
        if (const auto it = m_lots_by_order.find(own); !own.empty() && it != m_lots_by_order.end()) {
            for (const std::size_t i : it->second) points -= take_from(m_lots[i], points);
        }
        if (points > 0) points -= give_back_expired(e, points);
    }
    for (const std::size_t i : live_lots()) {
        if (points == 0) break;
        points -= take_from(m_lots[i], points);
    }
    if (points <= 0) return;
    m_debt += points;
    // A released code used after all takes its points again (redemption.hpp): the shop's policy
    // applies to what was spent since, as to any claw-back (docs/rules.md).
    if (takes_back_earnings(e) || e.kind == EntryKind::redeem_commit) apply_negative_policy(e, points);
}

std::int64_t LotBook::give_back_expired(const LedgerEntry& source, std::int64_t points) {
    const auto it = m_lots_by_order.find(order_prefix(source));
    if (it == m_lots_by_order.end()) return 0;
    std::int64_t expired = 0;
    for (const std::size_t i : it->second) expired += m_lots[i].expired_points;
    const std::int64_t due = std::min(expired, points);
    if (due <= 0) return 0;
    LedgerEntry e;
    e.key = source.key + ":expired";
    e.customer = source.customer;
    e.shop_id = source.shop_id;
    e.kind = EntryKind::expire;  // no order_id: an order's walk owns those entries
    e.available_delta = due;
    e.rule_version = source.rule_version;
    e.effective_at = source.effective_at;
    e.refers_to = source.key;
    e.reason = std::to_string(due) + " of the points taken back had expired already: not taken twice";
    const std::int64_t given = std::clamp<std::int64_t>(commit(e).available_delta, 0, due);
    std::int64_t left = given;  // taken from the expired points, oldest lot first
    for (const std::size_t i : it->second) {
        const std::int64_t part = std::min(left, m_lots[i].expired_points);
        m_lots[i].expired_points -= part;
        left -= part;
    }
    return given;
}

void LotBook::apply_negative_policy(const LedgerEntry& source, std::int64_t shortfall) {
    const Rules& rules = m_rules.at(source.effective_at);
    LedgerEntry e;
    e.key = source.key + ":negative";
    e.customer = source.customer;
    e.shop_id = source.shop_id;
    e.kind = EntryKind::negative_balance;  // no order_id: an order's walk owns those entries
    e.rule_version = rules.version;
    e.effective_at = source.effective_at;
    e.refers_to = source.key;
    e.rate = negative_policy_id(rules.negative_policy);
    if (rules.negative_policy == NegativePolicy::write_off) {
        e.available_delta = shortfall;
        e.reason = std::to_string(shortfall) + " points clawed back were already spent: written off";
    } else {
        e.reason = std::to_string(shortfall) +
                   " points clawed back were already spent: carried as a negative balance, recovered from "
                   "future earnings";
    }
    const LedgerEntry actual = commit(e);
    m_debt = std::max<std::int64_t>(0, m_debt - actual.available_delta);
}

std::optional<Timestamp> LotBook::inactivity_end(int* version) const {
    if (!m_last_activity) return std::nullopt;
    const Rules& rules = m_rules.at(*m_last_activity);
    if (rules.expiry.inactive_days <= 0) return std::nullopt;
    if (version) *version = rules.version;
    return *m_last_activity + rules.expiry.inactive_days * k_seconds_per_day;
}

std::optional<Timestamp> LotBook::lot_expiry(const Lot& lot) const {
    std::optional<Timestamp> at = lot.lifetime_end;
    if (auto idle = inactivity_end(nullptr)) {
        idle = std::max(*idle, lot.available_at);
        at = at ? std::min(*at, *idle) : *idle;
    }
    return at;
}

// Expires, in time order, every lot whose expiry instant is at or before t.
void LotBook::expire_due(Timestamp t) {
    for (;;) {
        Lot* next = lifetime_due(t);
        int idle_version = 0;
        const auto idle = inactivity_end(&idle_version);
        if (idle && *idle <= t && (!next || *idle < *next->lifetime_end) && !live_lots().empty()) {
            const std::string reason = "no activity for " +
                                       std::to_string(m_rules.at(*m_last_activity).expiry.inactive_days) +
                                       " days since " + format_timestamp(*m_last_activity);
            for (const std::size_t i : live_lots()) {
                // A lot that arrived after the idle deadline (a released reservation) expires on arrival.
                Lot& lot = m_lots[i];
                if (live(lot)) expire_lot(lot, std::max(*idle, lot.available_at), idle_version, reason);
            }
            continue;
        }
        if (!next) return;
        const std::int64_t days = (*next->lifetime_end - next->available_at) / k_seconds_per_day;
        expire_lot(*next, *next->lifetime_end, next->lifetime_version,
                   "lifetime of " + std::to_string(days) + " days since " + format_timestamp(next->available_at));
    }
}

void LotBook::expire_lot(Lot& lot, Timestamp at, int rule_version, const std::string& reason) {
    LedgerEntry e;
    e.key = lot.key + ":expire";
    e.customer = m_entries.front()->customer;
    e.shop_id = lot.shop_id;
    e.kind = EntryKind::expire;
    e.available_delta = -lot.remaining;
    e.rule_version = rule_version;
    e.effective_at = at;
    e.refers_to = lot.key;
    e.reason = std::to_string(lot.remaining) + " points: " + reason;
    const LedgerEntry actual = commit(e);
    lot.expired_points += std::min(lot.remaining, -actual.available_delta);
    lot.remaining = std::max<std::int64_t>(0, lot.remaining + actual.available_delta);
    lot.expired = true;
}

LedgerEntry LotBook::commit(const LedgerEntry& candidate) {
    const auto it = m_existing.find(candidate.key);
    if (it != m_existing.end()) {
        m_visited.insert(it->first);
        return *it->second;
    }
    m_outcome.new_entries.push_back(candidate);
    return candidate;
}

}  // namespace rewardd
