// A pure stand-in for the applier in the rulebook tests: each delivered event re-runs its order
// with the customer's history (their other orders' entries), then the customer's own walk
// (tiers, lots and expiry, negative balances), appending only new entries, as the daemon does, without storage.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/balance.hpp"
#include "core/customer_key.hpp"
#include "core/customer_walk.hpp"
#include "core/reward_engine.hpp"

namespace rewardd::test {

constexpr Timestamp k_t0 = 1795341600;  // 2026-11-22T10:00:00Z, a Sunday
constexpr Timestamp k_day = k_seconds_per_day;

inline Order rules_order(const std::string& id, std::vector<OrderLine> lines,
                         const std::string& email = "kari@example.com", const std::string& currency = "NOK",
                         std::int64_t discount = 0) {
    Order o;
    o.id = id;
    o.currency = currency;
    o.customer = {"", email};
    std::int64_t sum = 0;
    for (const auto& l : lines) sum += l.total_minor;
    o.lines = std::move(lines);
    o.discount_minor = discount;
    o.total_minor = sum - discount;
    return o;
}

inline OrderLine line(const std::string& id, std::int64_t total, std::vector<std::string> categories = {},
                      const std::string& product = "") {
    return {id, product.empty() ? "p-" + id : product, std::move(categories), 1, total};
}

inline Event rules_event(EventType type, const std::string& id, Timestamp at, const Order& order) {
    Event e;
    e.shop_id = "shop1";
    e.id = id;
    e.type = type;
    e.occurred_at = at;
    e.order = order;
    return e;
}

inline Event paid(const std::string& id, Timestamp at, const Order& order) {
    return rules_event(EventType::order_paid, id, at, order);
}

inline Event full_refund(const std::string& id, Timestamp at, const Order& order) {
    Event e = rules_event(EventType::order_refunded, id, at, order);
    e.refund = Refund{id, order.total_minor, {}};
    return e;
}

class RulesHarness {
public:
    explicit RulesHarness(RuleBook book) : m_engine(std::move(book)) {}
    explicit RulesHarness(Rules rules) : m_engine(RuleBook({rules})) {}

    std::vector<LedgerEntry> deliver(const Event& event, Timestamp now) {
        std::vector<LedgerEntry> added;
        if (event.order) {
            const auto key = event.shop_id + ":order:" + event.order->id;
            auto& events = m_events[key];
            if (std::none_of(events.begin(), events.end(), [&](const Event& e) { return e.id == event.id; })) {
                events.push_back(event);
            }
            added = run_order(key, now);
            auto walked = run_customer(customer_key(event.shop_id, event.order->customer), now);
            added.insert(added.end(), walked.begin(), walked.end());
        }
        return added;
    }

    // The periodic check: releases due points.
    std::vector<LedgerEntry> tick(Timestamp now) {
        std::vector<LedgerEntry> out;
        for (const auto& [key, _] : m_events) {
            auto added = run_order(key, now);
            out.insert(out.end(), added.begin(), added.end());
        }
        std::set<std::string> customers;
        for (const auto& e : m_entries) customers.insert(e.customer);
        for (const auto& c : customers) {
            auto walked = run_customer(c, now);
            out.insert(out.end(), walked.begin(), walked.end());
        }
        return out;
    }

    const std::vector<LedgerEntry>& entries() const { return m_entries; }
    std::vector<LedgerEntry> customer_entries(const std::string& customer) const {
        std::vector<LedgerEntry> out;
        for (const auto& e : m_entries) {
            if (e.customer == customer) out.push_back(e);
        }
        return out;
    }
    std::vector<LedgerEntry> of_kind(EntryKind kind) const {
        std::vector<LedgerEntry> out;
        for (const auto& e : m_entries) {
            if (e.kind == kind) out.push_back(e);
        }
        return out;
    }
    Balance balance(const std::string& customer = "kari@example.com") const {
        return sum_entries(customer_entries(customer));
    }
    const RewardEngine& engine() const { return m_engine; }
    CustomerOutcome customer(const std::string& c = "kari@example.com", Timestamp now = 0) const {
        return walk_customer(m_engine.rules(), c, customer_entries(c), now);
    }
    // Appends entries written outside orders (adjustments, redemptions), then walks the customer.
    std::vector<LedgerEntry> append(const std::vector<LedgerEntry>& added, Timestamp now) {
        m_entries.insert(m_entries.end(), added.begin(), added.end());
        return added.empty() ? added : run_customer(added.front().customer, now);
    }

private:
    std::vector<LedgerEntry> run_order(const std::string& key, Timestamp now) {
        const auto& events = m_events[key];
        const auto customer = customer_key(events.front().shop_id, events.front().order->customer);
        std::vector<LedgerEntry> existing;
        for (const auto& e : m_entries) {
            if (e.shop_id + ":order:" + e.order_id == key) existing.push_back(e);
        }
        const auto history = history_for_order(customer_entries(customer), key);
        auto outcome = m_engine.apply_order(events, existing, history, now);
        m_entries.insert(m_entries.end(), outcome.new_entries.begin(), outcome.new_entries.end());
        return outcome.new_entries;
    }

    std::vector<LedgerEntry> run_customer(const std::string& customer, Timestamp now) {
        if (customer.empty()) return {};
        auto outcome = walk_customer(m_engine.rules(), customer, customer_entries(customer), now);
        m_entries.insert(m_entries.end(), outcome.new_entries.begin(), outcome.new_entries.end());
        return outcome.new_entries;
    }

    RewardEngine m_engine;
    std::map<std::string, std::vector<Event>> m_events;
    std::vector<LedgerEntry> m_entries;
};

}  // namespace rewardd::test
