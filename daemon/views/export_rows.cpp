#include "export_rows.hpp"

#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>

#include <vector>

#include "core/timestamp.hpp"
#include "views/erased_mask.hpp"

namespace rewardd {
namespace {

using nlohmann::ordered_json;

// How a column is rendered: text, an integer, an instant (stored as Unix seconds, shown as
// RFC 3339), or a JSON document (an event body: nested in JSONL, its text in CSV).
enum class Col { text, integer, instant, json };

struct Column {
    const char* name;
    Col type;
};

struct Query {
    const char* sql;
    std::vector<Column> columns;
};

Query query_for(ExportKind kind) {
    switch (kind) {
        case ExportKind::customers:
            return {"SELECT c.id, c.key, c.email, c.first_seen_at,"
                    " COALESCE(SUM(l.available_delta), 0), COALESCE(SUM(l.pending_delta), 0),"
                    " COUNT(l.seq), COALESCE(MAX(l.effective_at), c.first_seen_at)"
                    " FROM customers c LEFT JOIN ledger_pseudonymous l ON l.customer = c.key"
                    " GROUP BY c.id ORDER BY c.id",
                    {{"id", Col::integer}, {"customer", Col::text}, {"email", Col::text},
                     {"first_seen_at", Col::instant}, {"available", Col::integer}, {"pending", Col::integer},
                     {"entries", Col::integer}, {"last_activity_at", Col::instant}}};
        case ExportKind::ledger:
            return {"SELECT seq, key, customer, shop_id, order_id, kind, pending_delta, available_delta,"
                    " rule_version, line_id, base_minor, currency, rate, rounding, event_id, effective_at,"
                    " refers_to, reason, recorded_at FROM ledger_pseudonymous ORDER BY seq",
                    {{"seq", Col::integer}, {"key", Col::text}, {"customer", Col::text}, {"shop_id", Col::text},
                     {"order_id", Col::text}, {"kind", Col::text}, {"pending_delta", Col::integer},
                     {"available_delta", Col::integer}, {"rule_version", Col::integer}, {"line_id", Col::text},
                     {"base_minor", Col::integer}, {"currency", Col::text}, {"rate", Col::text},
                     {"rounding", Col::text}, {"event_id", Col::text}, {"effective_at", Col::instant},
                     {"refers_to", Col::text}, {"reason", Col::text}, {"recorded_at", Col::instant}}};
        case ExportKind::events:
            return {"SELECT seq, shop_id, event_id, type, order_id, occurred_at, received_at, body"
                    " FROM events ORDER BY seq",
                    {{"seq", Col::integer}, {"shop_id", Col::text}, {"event_id", Col::text}, {"type", Col::text},
                     {"order_id", Col::text}, {"occurred_at", Col::instant}, {"received_at", Col::instant},
                     {"body", Col::json}}};
    }
    return {"", {}};
}

ordered_json json_value(const SQLite::Column& c, Col type, const ErasedMask& mask) {
    switch (type) {
        case Col::integer: return c.getInt64();
        case Col::instant: return format_timestamp(c.getInt64());
        case Col::json: {
            const std::string text = mask.apply(c.getString());
            auto parsed = ordered_json::parse(text, nullptr, false);
            return parsed.is_discarded() ? ordered_json(text) : parsed;
        }
        case Col::text: break;
    }
    return mask.apply(c.getString());
}

std::string csv_value(const SQLite::Column& c, Col type, const ErasedMask& mask) {
    switch (type) {
        case Col::integer: return std::to_string(c.getInt64());
        case Col::instant: return format_timestamp(c.getInt64());
        case Col::text:
        case Col::json: break;
    }
    return csv_field(mask.apply(c.getString()));
}

void write_csv_header(const std::vector<Column>& columns, std::ostream& out) {
    for (std::size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << columns[i].name;
    out << "\r\n";
}

}  // namespace

std::optional<ExportKind> parse_export_kind(const std::string& id) {
    if (id == "customers") return ExportKind::customers;
    if (id == "ledger") return ExportKind::ledger;
    if (id == "events") return ExportKind::events;
    return std::nullopt;
}

std::optional<ExportFormat> parse_export_format(const std::string& id) {
    if (id == "csv") return ExportFormat::csv;
    if (id == "jsonl") return ExportFormat::jsonl;
    return std::nullopt;
}

std::string csv_field(const std::string& value) {
    if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
    std::string quoted = "\"";
    for (char ch : value) {
        if (ch == '"') quoted += '"';
        quoted += ch;
    }
    return quoted + "\"";
}

Result<std::int64_t> export_rows(SQLite::Database& db, ExportKind kind, ExportFormat format, std::ostream& out) {
    const Query q = query_for(kind);
    try {
        const ErasedMask mask(db);
        SQLite::Statement rows(db, q.sql);
        if (format == ExportFormat::csv) write_csv_header(q.columns, out);
        std::int64_t n = 0;
        while (rows.executeStep()) {
            if (format == ExportFormat::csv) {
                for (std::size_t i = 0; i < q.columns.size(); ++i) {
                    out << (i ? "," : "") << csv_value(rows.getColumn(static_cast<int>(i)), q.columns[i].type, mask);
                }
                out << "\r\n";
            } else {
                ordered_json row;
                for (std::size_t i = 0; i < q.columns.size(); ++i) {
                    row[q.columns[i].name] = json_value(rows.getColumn(static_cast<int>(i)), q.columns[i].type, mask);
                }
                out << row.dump() << "\n";
            }
            ++n;
        }
        out.flush();
        if (!out) return make_error(ErrorCode::storage_unavailable, "could not write the export (disk full?)");
        return n;
    } catch (const SQLite::Exception& e) {
        return make_error(ErrorCode::storage_unavailable, std::string("export failed: ") + e.what());
    }
}

}  // namespace rewardd
