// The report's inputs from the database: each order's first order.paid event, and the ledger.
#include <SQLiteCpp/Statement.h>

#include <set>

#include "adapters/neutral/event_json.hpp"
#include "books/ledger_replay.hpp"
#include "books/report.hpp"
#include "core/customer_key.hpp"

namespace rewardd::books {
namespace {

std::vector<OrderFact> paid_orders(SQLite::Database& db) {
    std::vector<OrderFact> out;
    std::set<std::pair<std::string, std::string>> seen;
    SQLite::Statement q(db, "SELECT shop_id, body FROM events WHERE type = 'order.paid' ORDER BY occurred_at, seq");
    while (q.executeStep()) {
        const std::string shop = q.getColumn(0).getString();
        auto event = parse_event_json(q.getColumn(1).getString(), shop);
        if (!event || !event->order || !seen.insert({shop, event->order->id}).second) continue;
        const Order& o = *event->order;
        out.push_back({shop, o.id, customer_key(shop, o.customer), event->occurred_at, o.currency, o.total_minor});
    }
    return out;
}

}  // namespace

Result<Report> load_report(SQLite::Database& db, const RuleBook& rules, const ReportRequest& request) {
    auto ledger = recorded_ledger(db);
    if (!ledger) return ledger.error();
    std::vector<LedgerEntry> entries;
    entries.reserve(ledger->size());
    for (auto& [_, e] : *ledger) entries.push_back(std::move(e));
    try {
        return build_report(paid_orders(db), entries, rules, request);
    } catch (const std::exception& e) {
        return make_error(ErrorCode::storage_unavailable, std::string("report: ") + e.what());
    }
}

}  // namespace rewardd::books
