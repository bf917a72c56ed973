// `rewardd import balances`: opening balances exported by another loyalty app, read from CSV into
// rows (customer e-mail, points) with every bad row named by its line, then written as one
// adjustment event per customer whose id is made of the source and the customer, so importing
// the same file twice changes nothing. Column names per source are in docs/import.md.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/rules.hpp"

namespace rewardd::books {

enum class ImportSource { smile, yith, woo_points_rewards };
std::optional<ImportSource> parse_import_source(std::string_view id);
const char* import_source_id(ImportSource source);

struct BalanceRow {
    int line = 0;          // 1-based line in the file
    std::string email;     // normalised
    std::int64_t points = 0;
};

struct BadRow {
    int line = 0;
    std::string reason;
};

struct ParsedBalances {
    std::vector<BalanceRow> rows;
    std::vector<BadRow> bad;
};

// Reads the CSV text (RFC 4180 quoting; `,` or `;` as the delimiter, as the first line uses).
ParsedBalances parse_balances(std::string_view text, ImportSource source);

enum class RowOutcome { imported, already_imported, skipped_zero };

struct ImportedRow {
    BalanceRow row;
    RowOutcome outcome = RowOutcome::imported;
    std::string event_id;
};

// "import-<source>-<e-mail>": the idempotency key of a customer's opening balance from a source.
std::string import_event_id(ImportSource source, const std::string& email);

// Stores one adjustment event per row and applies them (nothing is stored when `dry_run`); rows
// whose event is already stored are reported as already imported.
Result<std::vector<ImportedRow>> import_balances(std::shared_ptr<SQLite::Database> db, const RuleBook& rules,
                                                 const std::vector<BalanceRow>& rows, ImportSource source,
                                                 bool dry_run, Timestamp now);

}  // namespace rewardd::books
