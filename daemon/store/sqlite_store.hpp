// LedgerStore on SQLite (SQLiteCpp). One instance per connection and thread.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>

#include "core/ledger_store.hpp"
#include "statement_cache.hpp"

namespace rewardd {

// The ledger columns in the order read_ledger_entry() reads them (table ledger and the view
// ledger_pseudonymous both have them), for readers outside the store such as reconcile.
inline constexpr const char* k_entry_columns =
    "key, customer, shop_id, order_id, kind, pending_delta, available_delta, rule_version, line_id, "
    "base_minor, currency, rate, rounding, event_id, effective_at, refers_to, reason";
LedgerEntry read_ledger_entry(SQLite::Statement& q);

class SqliteStore final : public LedgerStore {
public:
    explicit SqliteStore(std::shared_ptr<SQLite::Database> db) : m_db(std::move(db)) {}

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
    Result<bool> keep_outlook(const std::string& customer, const ExpiryOutlook& outlook) override;
    Result<bool> set_wakeup(const Wakeup& wakeup) override;
    Result<bool> clear_wakeup(const std::string& shop_id, const std::string& order_id) override;
    Result<std::vector<Wakeup>> due_wakeups(Timestamp now, std::size_t limit) override;
    Result<CustomerRecord> remember_customer(const std::string& key, const std::string& email,
                                             Timestamp seen_at) override;
    Result<std::optional<CustomerRecord>> find_customer(const std::string& query) override;
    Result<std::vector<CustomerRecord>> customers_after(std::int64_t after_id) override;

    SQLite::Database& database() { return *m_db; }
    // This connection's compiled statements, for other stores' writes in the same transaction.
    StatementCache& statements() { return m_statements; }

private:
    std::vector<LedgerEntry> erased_customer_entries(const std::string& alias);

    std::shared_ptr<SQLite::Database> m_db;
    StatementCache m_statements{*m_db};  // declared after m_db: finalized before the connection closes
    int m_transaction_depth = 0;
};

}  // namespace rewardd
