// `rewardd export`: customers, ledger entries or stored events, streamed row by row from SQLite
// to CSV (RFC 4180, header line first) or JSON Lines, so any size exports in constant memory.
// Erased customers appear under their pseudonym only (view ledger_pseudonymous), also inside keys,
// references, event ids and bodies written before the erasure (views/erased_mask).
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <ostream>
#include <string>

#include "core/result.hpp"

namespace rewardd {

enum class ExportKind { customers, ledger, events };
enum class ExportFormat { csv, jsonl };

std::optional<ExportKind> parse_export_kind(const std::string& id);
std::optional<ExportFormat> parse_export_format(const std::string& id);

// Writes every row; returns how many.
Result<std::int64_t> export_rows(SQLite::Database& db, ExportKind kind, ExportFormat format, std::ostream& out);

// RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled.
std::string csv_field(const std::string& value);

}  // namespace rewardd
