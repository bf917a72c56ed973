// In-memory LedgerStore. A write transaction snapshots the state and restores it on failure, so
// "all or nothing" holds here exactly as in SQLite.
#include "memory_store.hpp"

#include <algorithm>

namespace rewardd {

using Lock = std::lock_guard<std::recursive_mutex>;

Result<std::vector<Appended>> MemoryStore::append_events(const std::vector<InboxEvent>& batch) {
    Lock lock(m_mutex);
    std::vector<Appended> out;
    for (auto e : batch) {
        const auto id = std::make_pair(e.shop_id, e.event_id);
        if (m_state.event_ids.count(id)) {
            out.push_back(Appended::duplicate);
            continue;
        }
        e.seq = static_cast<std::int64_t>(m_state.events.size()) + 1;
        m_state.event_ids[id] = e.seq;
        m_state.events.push_back(std::move(e));
        out.push_back(Appended::inserted);
    }
    return out;
}

Result<std::vector<InboxEvent>> MemoryStore::events_after(std::int64_t seq, std::size_t limit) {
    Lock lock(m_mutex);
    std::vector<InboxEvent> out;
    for (auto i = static_cast<std::size_t>(std::max<std::int64_t>(seq, 0));
         i < m_state.events.size() && out.size() < limit; ++i) {
        out.push_back(m_state.events[i]);
    }
    return out;
}

Result<std::vector<InboxEvent>> MemoryStore::order_events(const std::string& shop_id,
                                                          const std::string& order_id) {
    Lock lock(m_mutex);
    std::vector<InboxEvent> out;
    for (const auto& e : m_state.events) {
        if (e.shop_id == shop_id && e.order_id == order_id) out.push_back(e);
    }
    return out;
}

Result<std::int64_t> MemoryStore::event_count() {
    Lock lock(m_mutex);
    return static_cast<std::int64_t>(m_state.events.size());
}

Result<bool> MemoryStore::write_transaction(const std::function<Result<bool>()>& work) {
    Lock lock(m_mutex);
    State before = m_state;
    auto result = work();
    if (!result) m_state = std::move(before);
    return result;
}

Result<EntryWrite> MemoryStore::append_entry(const LedgerEntry& entry, Timestamp) {
    Lock lock(m_mutex);
    const auto it = m_state.entry_index.find(entry.key);
    if (it != m_state.entry_index.end()) {
        return m_state.entries[it->second] == entry ? EntryWrite::existed : EntryWrite::conflict;
    }
    m_state.entry_index[entry.key] = m_state.entries.size();
    m_state.entries.push_back(entry);
    return EntryWrite::inserted;
}

Result<std::vector<LedgerEntry>> MemoryStore::order_entries(const std::string& shop_id,
                                                            const std::string& order_id) {
    Lock lock(m_mutex);
    std::vector<LedgerEntry> out;
    for (const auto& e : m_state.entries) {
        if (e.shop_id == shop_id && e.order_id == order_id) out.push_back(e);
    }
    return out;
}

Result<std::vector<LedgerEntry>> MemoryStore::customer_entries(const std::string& customer) {
    Lock lock(m_mutex);
    std::vector<LedgerEntry> out;
    for (const auto& e : m_state.entries) {
        if (e.customer == customer) out.push_back(e);
    }
    return out;
}

Result<std::vector<LedgerEntry>> MemoryStore::all_entries() {
    Lock lock(m_mutex);
    return m_state.entries;
}

// Entries are only ever appended (a rolled-back transaction restores the count with them).
Result<std::optional<LedgerMark>> MemoryStore::ledger_mark() {
    Lock lock(m_mutex);
    return std::optional<LedgerMark>{LedgerMark{static_cast<std::int64_t>(m_state.entries.size()), 0}};
}

Result<std::int64_t> MemoryStore::applied_cursor() {
    Lock lock(m_mutex);
    return m_state.cursor;
}

Result<bool> MemoryStore::set_applied_cursor(std::int64_t seq, Timestamp applied_at) {
    Lock lock(m_mutex);
    if (seq > 0) m_state.apply_log.emplace(seq, applied_at);
    m_state.cursor = seq;
    return true;
}

Result<bool> MemoryStore::set_wakeup(const Wakeup& w) {
    Lock lock(m_mutex);
    m_state.wakeups[{w.shop_id, w.order_id}] = w.due_at;
    return true;
}

Result<bool> MemoryStore::clear_wakeup(const std::string& shop_id, const std::string& order_id) {
    Lock lock(m_mutex);
    m_state.wakeups.erase({shop_id, order_id});
    return true;
}

Result<std::vector<Wakeup>> MemoryStore::due_wakeups(Timestamp now, std::size_t limit) {
    Lock lock(m_mutex);
    std::vector<Wakeup> out;
    for (const auto& [id, due] : m_state.wakeups) {
        if (due <= now) out.push_back({id.first, id.second, due});
    }
    std::sort(out.begin(), out.end(), [](const Wakeup& a, const Wakeup& b) { return a.due_at < b.due_at; });
    if (out.size() > limit) out.resize(limit);
    return out;
}

Result<CustomerRecord> MemoryStore::remember_customer(const std::string& key, const std::string& email,
                                                      Timestamp seen_at) {
    Lock lock(m_mutex);
    for (const auto& c : m_state.customers) {
        if (c.key == key) return c;
    }
    CustomerRecord c{static_cast<std::int64_t>(m_state.customers.size()) + 1, key, email, seen_at};
    m_state.customers.push_back(c);
    return c;
}

Result<std::optional<CustomerRecord>> MemoryStore::find_customer(const std::string& query) {
    Lock lock(m_mutex);
    for (const auto& c : m_state.customers) {
        if (c.key == query || std::to_string(c.id) == query) return std::optional<CustomerRecord>{c};
    }
    return std::optional<CustomerRecord>{};
}

Result<std::vector<CustomerRecord>> MemoryStore::customers_after(std::int64_t after_id) {
    Lock lock(m_mutex);
    std::vector<CustomerRecord> out;
    for (const auto& c : m_state.customers) {
        if (c.id > after_id) out.push_back(c);
    }
    return out;
}

}  // namespace rewardd
