// Key-ordered ledger reads.
#include "books/ledger_by_key.hpp"

#include "store/erased_ledger.hpp"
#include "store/sqlite_store.hpp"

namespace rewardd::books {
namespace {

constexpr const char* k_not_erased = "customer NOT IN (SELECT customer FROM erased_customers)";

std::string by_key_sql(const std::string& where) {
    return std::string("SELECT ") + k_entry_columns + " FROM ledger" + (where.empty() ? "" : " WHERE " + where) +
           " ORDER BY key";
}

}  // namespace

LedgerByKey::LedgerByKey(SQLite::Database& db, const std::string& where) : m_rows(db, by_key_sql(where)) {}

std::optional<LedgerEntry> LedgerByKey::next() {
    if (!m_rows.executeStep()) return std::nullopt;
    return read_ledger_entry(m_rows);
}

RecordedByKey::RecordedByKey(SQLite::Database& source) : m_rows(source, k_not_erased) {
    SQLite::Statement erased(source, std::string("SELECT ") + k_entry_columns +
                                         ", (SELECT pseudonym FROM erased_customers e WHERE e.customer = ledger.customer)"
                                         " FROM ledger WHERE customer IN (SELECT customer FROM erased_customers)");
    const int pseudonym_column = erased.getColumnCount() - 1;
    while (erased.executeStep()) {
        LedgerEntry entry = read_ledger_entry(erased);
        show_under_alias(entry, erased.getColumn(pseudonym_column).getString());
        std::string key = entry.key;
        m_erased.emplace(std::move(key), std::move(entry));
    }
    m_next_erased = m_erased.begin();
    m_row = m_rows.next();
}

std::optional<LedgerEntry> RecordedByKey::next() {
    const bool erased_first =
        m_next_erased != m_erased.end() && (!m_row || m_next_erased->first < m_row->key);
    if (erased_first) return std::move((m_next_erased++)->second);
    auto out = std::move(m_row);
    if (out) m_row = m_rows.next();
    return out;
}

}  // namespace rewardd::books
