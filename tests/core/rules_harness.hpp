// A pure stand-in for the applier in the rulebook tests: each delivered event re-runs its order
// with the customer's history (their other orders' entries, the referrer its code names), then
// the walks of the customers it touched (tiers, lots and expiry, negative balances), appending
// only new entries, and wake-ups as the daemon keeps them; indexed so 100,000 events stay fast.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/balance.hpp"
#include "core/customer_key.hpp"
#include "core/customer_walk.hpp"
#include "core/referral_code.hpp"
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

    // One delivered event (repeats allowed); returns the entries it caused.
    std::vector<LedgerEntry> deliver(const Event& event, Timestamp now) {
        if (event.type == EventType::customer_created && event.customer) {
            know(customer_key(event.shop_id, *event.customer), normalise_email(event.customer->email));
            return {};
        }
        if (event.type == EventType::points_adjusted) {
            if (!m_adjustments.insert(event.shop_id + ":" + event.id).second) return {};
            return append({m_engine.adjustment_entry(event)}, now);
        }
        if (!event.order) return {};
        know_shop(event.shop_id);
        const auto key = event.shop_id + ":order:" + event.order->id;
        auto& events = m_events[key];
        if (std::none_of(events.begin(), events.end(), [&](const Event& e) { return e.id == event.id; })) {
            events.push_back(event);
        }
        return run_order(key, now);
    }

    // The periodic check, as the daemon's wake-ups: releases due points and walks the customers
    // whose expiry or tier-window exit has come, until nothing more is due at `now`.
    std::vector<LedgerEntry> tick(Timestamp now) {
        std::vector<LedgerEntry> out;
        for (;;) {
            const auto orders = m_order_wakeups.take_due(now);
            const auto customers = m_customer_wakeups.take_due(now);
            if (orders.empty() && customers.empty()) return out;
            for (const auto& key : orders) {
                auto added = run_order(key, now);
                out.insert(out.end(), added.begin(), added.end());
            }
            for (const auto& c : customers) {
                auto added = run_customer(c, now);
                out.insert(out.end(), added.begin(), added.end());
            }
        }
    }

    // A customer the store knows (customer.created, or any entry of theirs): a referral code
    // resolves to them. `email` is what the customers table holds; the first one stays.
    void know(const std::string& key, const std::string& email = "") {
        if (key.empty() || m_known.count(key)) return;
        m_known[key] = email.empty() && key.find('@') != std::string::npos ? key : email;
        for (const auto& shop : m_shops) m_codes[shop + "/" + referral_code(shop, key)] = key;
    }

    const std::vector<LedgerEntry>& entries() const { return m_entries; }
    const std::vector<LedgerEntry>& customer_entries(const std::string& customer) const {
        static const std::vector<LedgerEntry> none;
        const auto it = m_by_customer.find(customer);
        return it == m_by_customer.end() ? none : it->second;
    }
    std::vector<std::string> customers() const {
        std::vector<std::string> out;
        for (const auto& [c, _] : m_by_customer) out.push_back(c);
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
    std::map<std::string, LedgerEntry> by_key() const {
        std::map<std::string, LedgerEntry> out;
        for (const auto& e : m_entries) out.emplace(e.key, e);
        return out;
    }
    const RewardEngine& engine() const { return m_engine; }
    std::size_t conflicts() const { return m_conflicts; }
    const std::vector<std::string>& conflict_keys() const { return m_conflict_keys; }
    CustomerOutcome customer(const std::string& c = "kari@example.com", Timestamp now = 0) const {
        return walk_customer(m_engine.rules(), c, customer_entries(c), now);
    }
    // Appends entries written outside orders (adjustments, redemptions), then walks the customer.
    std::vector<LedgerEntry> append(const std::vector<LedgerEntry>& added, Timestamp now) {
        auto written = write(added);
        if (added.empty()) return written;
        auto walked = run_customer(added.front().customer, now);
        written.insert(written.end(), walked.begin(), walked.end());
        return written;
    }

private:
    std::vector<LedgerEntry> run_order(const std::string& key, Timestamp now) {
        const auto& events = m_events[key];
        const auto customer = customer_key(events.front().shop_id, events.front().order->customer);
        const auto& existing = m_by_order[key];
        auto history = history_for_order(customer_entries(customer), key);
        history.referrer = resolve(events, existing);
        auto outcome = m_engine.apply_order(events, existing, history, now);
        m_conflicts += outcome.conflicts.size();
        m_conflict_keys.insert(m_conflict_keys.end(), outcome.conflicts.begin(), outcome.conflicts.end());
        m_order_wakeups.set(key, outcome.next_release_at);
        auto added = write(outcome.new_entries);
        std::set<std::string> walked{customer};
        for (const auto& e : added) walked.insert(e.customer);  // a rewarded referrer too
        for (const auto& c : walked) {
            auto more = run_customer(c, now);
            added.insert(added.end(), more.begin(), more.end());
        }
        return added;
    }

    std::vector<LedgerEntry> run_customer(const std::string& customer, Timestamp now) {
        if (customer.empty()) return {};
        auto outcome = walk_customer(m_engine.rules(), customer, customer_entries(customer), now);
        m_customer_wakeups.set(customer, outcome.next_check_at);
        return write(outcome.new_entries);
    }

    // As the store: same key and content exists, a different content is a conflict.
    std::vector<LedgerEntry> write(const std::vector<LedgerEntry>& entries) {
        std::vector<LedgerEntry> written;
        for (const auto& e : entries) {
            if (e.customer.empty()) continue;
            const auto [it, inserted] = m_keys.emplace(e.key, m_entries.size());
            if (!inserted) {
                if (!(m_entries[it->second] == e)) {
                    ++m_conflicts;
                    m_conflict_keys.push_back(e.key);
                }
                continue;
            }
            m_entries.push_back(e);
            m_by_customer[e.customer].push_back(e);
            if (!e.order_id.empty()) m_by_order[e.shop_id + ":order:" + e.order_id].push_back(e);
            know(e.customer);
            written.push_back(e);
        }
        return written;
    }

    void know_shop(const std::string& shop) {
        if (!m_shops.insert(shop).second) return;
        for (const auto& [key, _] : m_known) m_codes[shop + "/" + referral_code(shop, key)] = key;
    }

    // As the applier: a code with no decision recorded yet, matched against the known customers.
    std::optional<Referrer> resolve(const std::vector<Event>& events, const std::vector<LedgerEntry>& existing) const {
        for (const auto& e : existing) {
            if (e.kind == EntryKind::referral_reward || e.kind == EntryKind::referral_refused) return std::nullopt;
        }
        for (const auto& e : events) {
            if (!e.order || !e.order->referral_code) continue;
            const auto it = m_codes.find(e.shop_id + "/" + normalise_referral_code(*e.order->referral_code));
            if (it == m_codes.end()) return std::nullopt;
            return Referrer{it->second, m_known.at(it->second)};
        }
        return std::nullopt;
    }

    RewardEngine m_engine;
    std::map<std::string, std::vector<Event>> m_events;   // by "<shop>:order:<id>"
    std::vector<LedgerEntry> m_entries;                   // in write order
    std::map<std::string, std::size_t> m_keys;            // key -> index in m_entries
    std::map<std::string, std::vector<LedgerEntry>> m_by_customer;
    std::map<std::string, std::vector<LedgerEntry>> m_by_order;
    // One wake-up per order or customer, as the store's table: setting one replaces the last.
    class Wakeups {
    public:
        void set(const std::string& key, std::optional<Timestamp> at) {
            if (const auto it = m_at.find(key); it != m_at.end()) {
                m_due.erase({it->second, key});
                m_at.erase(it);
            }
            if (!at) return;
            m_at[key] = *at;
            m_due.insert({*at, key});
        }
        // The keys due at `now`, in the order of their instants, cleared.
        std::vector<std::string> take_due(Timestamp now) {
            std::vector<std::string> out;
            while (!m_due.empty() && m_due.begin()->first <= now) {
                out.push_back(m_due.begin()->second);
                m_at.erase(out.back());
                m_due.erase(m_due.begin());
            }
            return out;
        }

    private:
        std::map<std::string, Timestamp> m_at;
        std::set<std::pair<Timestamp, std::string>> m_due;
    };
    Wakeups m_order_wakeups;
    Wakeups m_customer_wakeups;
    std::set<std::string> m_adjustments;
    std::map<std::string, std::string> m_known;  // customer key -> e-mail
    std::set<std::string> m_shops;
    std::map<std::string, std::string> m_codes;  // "<shop>/<code>" -> customer key
    std::size_t m_conflicts = 0;
    std::vector<std::string> m_conflict_keys;
};

}  // namespace rewardd::test
