// Key-ordered ledger reads.
#include "books/ledger_by_key.hpp"

#include "store/erased_ledger.hpp"
#include "store/sqlite_store.hpp"

namespace rewardd::books {
namespace {

constexpr const char* k_erased_rows = "ledger.customer IN (SELECT customer FROM erased_customers)";
// Another customer's row keyed by an erased referee ("<shop>:referral:<referee>:referrer"); only
// referral keys name a customer other than the row's own.
constexpr const char* k_names_erased =
    "ledger.key LIKE '%:referral:%' AND EXISTS (SELECT 1 FROM erased_customers e "
    "WHERE instr(ledger.key, ':referral:' || e.customer || ':') > 0)";

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

RecordedByKey::RecordedByKey(SQLite::Database& source)
    : m_rows(source, std::string("NOT (") + k_erased_rows + ") AND NOT (" + k_names_erased + ")") {
    // Each such row with its customer's pseudonym (NULL unless erased) and the erased referee its
    // key names with theirs (NULL unless it names one): a referrer and their referee may both be.
    const std::string referee =
        "FROM erased_customers e WHERE instr(ledger.key, ':referral:' || e.customer || ':') > 0 AND "
        "e.customer <> ledger.customer";
    SQLite::Statement rows(source, std::string("SELECT ") + k_entry_columns +
                                       ", (SELECT pseudonym FROM erased_customers e WHERE e.customer = ledger.customer)"
                                       ", (SELECT e.customer " + referee + "), (SELECT e.pseudonym " + referee +
                                       ") FROM ledger WHERE " + k_erased_rows + " OR (" + k_names_erased + ")");
    const int pseudonym_column = rows.getColumnCount() - 3;
    while (rows.executeStep()) {
        LedgerEntry entry = read_ledger_entry(rows);
        if (!rows.getColumn(pseudonym_column + 1).isNull()) {
            show_referee_under_alias(entry, rows.getColumn(pseudonym_column + 1).getString(),
                                     rows.getColumn(pseudonym_column + 2).getString());
        }
        if (!rows.getColumn(pseudonym_column).isNull()) {
            show_under_alias(entry, rows.getColumn(pseudonym_column).getString());
        }
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
