// A ledger read in key order one entry at a time, straight from SQLite's key index: reconcile
// walks the recorded and the replayed ledger side by side this way instead of holding both (a
// shop with a million events has a few million entries).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <map>
#include <optional>
#include <string>

#include "core/ledger_entry.hpp"

namespace rewardd::books {

// The rows of a database's `ledger` table, by key.
class LedgerByKey {
public:
    // `where`: an SQL condition on the rows (empty: all of them).
    explicit LedgerByKey(SQLite::Database& db, const std::string& where = "");
    std::optional<LedgerEntry> next();

private:
    SQLite::Statement m_rows;
};

// The recorded ledger by key, erased customers shown under their pseudonym (in the customer column
// and inside keys, references and event ids that name the customer, a referrer's reward keyed by
// an erased referee included), as a replay of the scrubbed events writes them. Those rows are few
// and their keys change, so they are read first and merged in.
class RecordedByKey {
public:
    explicit RecordedByKey(SQLite::Database& source);
    std::optional<LedgerEntry> next();

private:
    LedgerByKey m_rows;  // everyone else's, in key order as stored
    std::optional<LedgerEntry> m_row;  // the next of m_rows, read ahead
    std::map<std::string, LedgerEntry> m_erased;
    std::map<std::string, LedgerEntry>::iterator m_next_erased;
};

// The rest of `entries` (LedgerByKey, RecordedByKey) as a map by key.
template <typename ByKey>
std::map<std::string, LedgerEntry> map_by_key(ByKey& entries) {
    std::map<std::string, LedgerEntry> out;
    while (auto e = entries.next()) {
        std::string key = e->key;
        out.emplace_hint(out.end(), std::move(key), std::move(*e));  // in key order: each goes last
    }
    return out;
}

}  // namespace rewardd::books
