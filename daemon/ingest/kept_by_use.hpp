// What the applier keeps between batches (customers' ledgers, orders' entries, parsed events),
// under a budget: each value remembers the batch that last used it, and once the budget is passed
// the values used longest ago go first.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rewardd {

// `Cost` answers what a value counts toward the budget (std::size_t(const Value&)).
template <typename Key, typename Value, typename Cost, typename Hash = std::hash<Key>>
class KeptByUse {
public:
    explicit KeptByUse(std::size_t budget) : m_budget(budget) {}

    void set_budget(std::size_t budget) { m_budget = budget; }

    // The kept value, marked used in `batch`; null when none is kept.
    Value* find(const Key& key, std::uint64_t batch) {
        const auto it = m_kept.find(key);
        if (it == m_kept.end()) return nullptr;
        it->second.used_in_batch = batch;
        return &it->second.value;
    }
    // The kept value, unmarked; null when none is kept.
    Value* peek(const Key& key) {
        const auto it = m_kept.find(key);
        return it == m_kept.end() ? nullptr : &it->second.value;
    }
    // Keeps `value` under `key`, in place of what was kept there.
    Value& keep(const Key& key, Value value, std::uint64_t batch) {
        if (const auto it = m_kept.find(key); it != m_kept.end()) {
            m_spent -= Cost{}(it->second.value);
            m_kept.erase(it);
        }
        auto& slot = m_kept.emplace(key, Slot{std::move(value), batch}).first->second;
        m_spent += Cost{}(slot.value);
        return slot.value;
    }
    // A kept value grew by `cost` in place (an entry appended to a kept ledger).
    void grew(std::size_t cost) { m_spent += cost; }

    void clear() {
        m_kept.clear();
        m_spent = 0;
    }
    // Empties it and hands back its memory too (clear() keeps the hash table's buckets).
    void release() {
        std::unordered_map<Key, Slot, Hash>().swap(m_kept);
        m_spent = 0;
    }
    std::size_t size() const { return m_kept.size(); }

    // Back within the budget, down to three quarters of it, so the sort below runs once in many
    // batches, not in every one.
    void trim() {
        if (m_spent <= m_budget) return;
        const std::size_t target = m_budget / 4 * 3;
        std::vector<std::pair<std::uint64_t, const Key*>> by_use;
        by_use.reserve(m_kept.size());
        for (const auto& [key, slot] : m_kept) by_use.emplace_back(slot.used_in_batch, &key);
        std::sort(by_use.begin(), by_use.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [used, key] : by_use) {
            if (m_spent <= target) break;
            const auto it = m_kept.find(*key);
            m_spent -= Cost{}(it->second.value);
            m_kept.erase(it);
        }
    }

private:
    struct Slot {
        Value value;
        std::uint64_t used_in_batch = 0;
    };
    std::unordered_map<Key, Slot, Hash> m_kept;
    std::size_t m_spent = 0;
    std::size_t m_budget;
};

}  // namespace rewardd
