// LedgerStore in memory: for tests (the same contract suite as SQLite) and for `simulate`, which
// replays history without touching the real ledger. Thread-safe through one mutex.
#pragma once

#include <map>
#include <mutex>
#include <vector>

#include "core/ledger_store.hpp"

namespace rewardd {

class MemoryStore final : public LedgerStore {
public:
    Result<std::vector<Appended>> append_events(const std::vector<InboxEvent>& batch) override;
    Result<std::vector<InboxEvent>> events_after(std::int64_t seq, std::size_t limit) override;
    Result<std::vector<InboxEvent>> order_events(const std::string& shop_id,
                                                 const std::string& order_id) override;
    Result<std::int64_t> event_count() override;
    Result<bool> write_transaction(const std::function<Result<bool>()>& work) override;
    Result<EntryWrite> append_entry(const LedgerEntry& entry, Timestamp recorded_at) override;
    Result<std::vector<LedgerEntry>> order_entries(const std::string& shop_id,
                                                   const std::string& order_id) override;
    Result<std::vector<LedgerEntry>> customer_entries(const std::string& customer) override;
    Result<std::vector<LedgerEntry>> all_entries() override;
    Result<std::optional<LedgerMark>> ledger_mark() override;
    Result<std::int64_t> applied_cursor() override;
    Result<bool> set_applied_cursor(std::int64_t seq, Timestamp applied_at) override;
    Result<bool> set_wakeup(const Wakeup& wakeup) override;
    Result<bool> clear_wakeup(const std::string& shop_id, const std::string& order_id) override;
    Result<std::vector<Wakeup>> due_wakeups(Timestamp now, std::size_t limit) override;
    Result<CustomerRecord> remember_customer(const std::string& key, const std::string& email,
                                             Timestamp seen_at) override;
    Result<std::optional<CustomerRecord>> find_customer(const std::string& query) override;
    Result<std::vector<CustomerRecord>> customers_after(std::int64_t after_id) override;

private:
    struct State {
        std::vector<InboxEvent> events;
        std::map<std::pair<std::string, std::string>, std::int64_t> event_ids;
        std::vector<LedgerEntry> entries;
        std::map<std::string, std::size_t> entry_index;
        std::int64_t cursor = 0;
        std::map<std::int64_t, Timestamp> apply_log;  // seq_to -> applied_at
        std::map<std::pair<std::string, std::string>, Timestamp> wakeups;
        std::vector<CustomerRecord> customers;
    };

    std::recursive_mutex m_mutex;
    State m_state;
};

}  // namespace rewardd
