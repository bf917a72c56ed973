// Writing imported balances: events first (deduplicated by id in the inbox), then the applier,
// exactly as `rewardd adjust` does, so replay and reconcile see the same adjustments.
#include "books/balance_import.hpp"

#include <array>
#include <utility>

#include "adapters/neutral/event_json.hpp"
#include "ingest/ledger_applier.hpp"
#include "rewards/applier_wiring.hpp"
#include "store/sqlite_store.hpp"

namespace rewardd::books {
namespace {

constexpr const char* k_manual_shop = "manual";  // the shop of `rewardd adjust` events

constexpr std::array<std::pair<ImportSource, const char*>, 3> k_sources{{
    {ImportSource::smile, "smile"},
    {ImportSource::yith, "yith"},
    {ImportSource::woo_points_rewards, "woo-points-rewards"},
}};

InboxEvent opening_balance_event(const BalanceRow& row, ImportSource source, Timestamp now) {
    Event event;
    event.shop_id = k_manual_shop;
    event.id = import_event_id(source, row.email);
    event.type = EventType::points_adjusted;
    event.occurred_at = now;
    event.customer = CustomerRef{"", row.email};
    event.adjustment = Adjustment{row.points, std::string("opening balance imported from ") +
                                                  import_source_id(source) + " (line " + std::to_string(row.line) + ")"};
    return {0, k_manual_shop, event.id, event_type_id(event.type), "", now, now, event_to_json(event)};
}

}  // namespace

std::optional<ImportSource> parse_import_source(std::string_view id) {
    for (const auto& [source, name] : k_sources) {
        if (id == name) return source;
    }
    return std::nullopt;
}

const char* import_source_id(ImportSource source) {
    for (const auto& [s, name] : k_sources) {
        if (s == source) return name;
    }
    return "unknown";
}

std::string import_event_id(ImportSource source, const std::string& email) {
    return std::string("import-") + import_source_id(source) + "-" + email;
}

Result<std::vector<ImportedRow>> import_balances(std::shared_ptr<SQLite::Database> db, const RuleBook& rules,
                                                 const std::vector<BalanceRow>& rows, ImportSource source,
                                                 bool dry_run, Timestamp now) {
    std::vector<ImportedRow> out;
    std::vector<InboxEvent> events;
    try {
        // Imported before under the e-mail, or under the pseudonym an erasure gave the id since.
        SQLite::Statement exists(*db, "SELECT 1 FROM events WHERE shop_id = ?1 AND (event_id = ?2 OR event_id = "
                                      "(SELECT ?3 || pseudonym FROM erased_customers WHERE customer = ?4))");
        for (const auto& row : rows) {
            ImportedRow r{row, RowOutcome::imported, import_event_id(source, row.email)};
            exists.bind(1, k_manual_shop);
            exists.bind(2, r.event_id);
            exists.bind(3, import_event_id(source, ""));
            exists.bind(4, row.email);
            if (row.points == 0) r.outcome = RowOutcome::skipped_zero;
            else if (exists.executeStep()) r.outcome = RowOutcome::already_imported;
            else events.push_back(opening_balance_event(row, source, now));
            exists.reset();
            out.push_back(std::move(r));
        }
    } catch (const std::exception& e) {
        return make_error(ErrorCode::storage_unavailable, std::string("import: ") + e.what());
    }
    if (dry_run || events.empty()) return out;
    SqliteStore store(db);
    if (auto r = store.append_events(events); !r) return r.error();  // one transaction
    LedgerApplier applier(store, std::make_shared<const RewardEngine>(rules));
    wire_daemon_applier(applier, db, rules);  // the daemon's waiting events are applied too: with its hooks
    if (auto r = applier.apply_all(512, now); !r) return r.error();
    return out;
}

}  // namespace rewardd::books
