// A pure stand-in for the applier in engine tests: events arrive one at a time (in whatever order
// the test chooses), each order is re-run with its events so far and its existing entries, and
// new entries are appended, exactly as the daemon does, but without storage.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/balance.hpp"
#include "core/reward_engine.hpp"

namespace rewardd::test {

inline Event order_event(EventType type, const std::string& id, Timestamp at, const Order& order) {
    Event e;
    e.shop_id = "shop1";
    e.id = id;
    e.type = type;
    e.occurred_at = at;
    e.order = order;
    return e;
}

inline Event refund_event(const std::string& id, Timestamp at, const Order& order, Refund refund) {
    Event e = order_event(EventType::order_refunded, id, at, order);
    e.refund = std::move(refund);
    return e;
}

inline Order make_order(const std::string& id, const std::string& currency,
                        std::vector<std::pair<std::string, std::int64_t>> lines,
                        std::int64_t discount = 0, std::int64_t tax = 0, std::int64_t shipping = 0,
                        const std::string& email = "kari@example.com") {
    Order o;
    o.id = id;
    o.currency = currency;
    o.customer = {"77", email};
    std::int64_t sum = 0;
    for (const auto& [line_id, total] : lines) {
        o.lines.push_back({line_id, "p-" + line_id, {}, 1, total});
        sum += total;
    }
    o.discount_minor = discount;
    o.tax_minor = tax;
    o.shipping_minor = shipping;
    o.total_minor = sum - discount + tax + shipping;
    return o;
}

class EngineHarness {
public:
    explicit EngineHarness(Rules rules = {}) : m_engine(RuleBook({rules})) {}

    // Delivers one event; returns the entries it caused.
    std::vector<LedgerEntry> deliver(const Event& event, Timestamp now) {
        if (event.type == EventType::points_adjusted) {
            auto e = m_engine.adjustment_entry(event);
            return append({e});
        }
        const auto key = event.shop_id + "/" + event.order->id;
        auto& events = m_events[key];
        const bool seen = std::any_of(events.begin(), events.end(), [&](const Event& e) { return e.id == event.id; });
        if (!seen) events.push_back(event);
        return tick_order(key, now);
    }

    // What the writer's periodic release check does: re-runs the orders whose release is due.
    std::vector<LedgerEntry> tick(Timestamp now) {
        std::vector<LedgerEntry> out;
        std::vector<std::string> due;
        for (const auto& [key, at] : m_wakeups) {
            if (at <= now) due.push_back(key);
        }
        for (const auto& key : due) {
            auto added = tick_order(key, now);
            out.insert(out.end(), added.begin(), added.end());
        }
        return out;
    }

    const std::vector<LedgerEntry>& entries() const { return m_entries; }
    Balance balance(const std::string& customer = "kari@example.com") const {
        Balance b;
        for (const auto& e : m_entries) {
            if (e.customer == customer) add_to_balance(b, e);
        }
        return b;
    }
    std::size_t conflicts() const { return m_conflicts; }
    // Refunds reported as taken back from nothing (their currency has no rate), over every apply.
    std::size_t unweighed() const { return m_unweighed; }

    // Entries as a key -> entry map: the ledger's content regardless of write order.
    std::map<std::string, LedgerEntry> by_key() const {
        std::map<std::string, LedgerEntry> out;
        for (const auto& e : m_entries) out.emplace(e.key, e);
        return out;
    }

private:
    std::vector<LedgerEntry> tick_order(const std::string& key, Timestamp now) {
        auto outcome = m_engine.apply_order(m_events[key], m_order_entries[key], now);
        m_conflicts += outcome.conflicts.size();
        m_unweighed += outcome.unweighed_refunds.size();
        if (outcome.next_release_at) {
            m_wakeups[key] = *outcome.next_release_at;
        } else {
            m_wakeups.erase(key);
        }
        for (const auto& e : outcome.new_entries) m_order_entries[key].push_back(e);
        return append(outcome.new_entries);
    }

    std::vector<LedgerEntry> append(const std::vector<LedgerEntry>& added) {
        for (const auto& e : added) {
            if (m_keys.insert(e.key).second) m_entries.push_back(e);
        }
        return added;
    }

    RewardEngine m_engine;
    std::map<std::string, std::vector<Event>> m_events;
    std::map<std::string, std::vector<LedgerEntry>> m_order_entries;
    std::map<std::string, Timestamp> m_wakeups;
    std::set<std::string> m_keys;
    std::vector<LedgerEntry> m_entries;
    std::size_t m_conflicts = 0;
    std::size_t m_unweighed = 0;
};

}  // namespace rewardd::test
