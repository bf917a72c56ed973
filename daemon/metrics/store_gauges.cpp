#include "store_gauges.hpp"

#include <SQLiteCpp/Statement.h>

#include <vector>

namespace rewardd::metrics {

void StoreGauges::render(TextWriter& out, std::int64_t now_s) {
    std::lock_guard lock(m_mutex);
    bool ok = render_outbox(out, now_s);
    ok = count_new_entries() && ok;
    out.header("rewardd_ledger_entries_total", "Ledger entries written, by kind (rewards issued and taken back).",
               "counter");
    for (const auto& [kind, count] : m_entries_by_kind) out.sample("rewardd_ledger_entries_total", {{"kind", kind}}, count);
    out.header("rewardd_store_scrape_error", "1 when the last scrape could not read the database.", "gauge");
    out.sample("rewardd_store_scrape_error", {}, ok ? 0 : 1);
}

bool StoreGauges::render_outbox(TextWriter& out, std::int64_t now_s) {
    struct Row {
        std::string status;
        std::int64_t depth = 0, oldest = 0;
    };
    std::vector<Row> rows;
    try {
        SQLite::Statement q(*m_db, "SELECT status, COUNT(*), MIN(created_at) FROM outbox GROUP BY status");
        while (q.executeStep()) rows.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64()});
    } catch (const std::exception&) {
        return false;
    }
    out.header("rewardd_outbox_items", "Rewards in the outbox, by status.", "gauge");
    for (const auto& r : rows) out.sample("rewardd_outbox_items", {{"status", r.status}}, r.depth);
    out.header("rewardd_outbox_oldest_age_seconds", "Age of the oldest outbox item, by status (delivered excluded).",
               "gauge");
    for (const auto& r : rows) {
        if (r.status == "delivered") continue;
        out.sample("rewardd_outbox_oldest_age_seconds", {{"status", r.status}}, now_s > r.oldest ? now_s - r.oldest : 0);
    }
    return true;
}

bool StoreGauges::count_new_entries() {
    try {
        SQLite::Statement q(*m_db, "SELECT kind, COUNT(*), MAX(seq) FROM ledger WHERE seq > ? GROUP BY kind");
        q.bind(1, m_ledger_seq);
        std::int64_t last = m_ledger_seq;
        std::map<std::string, std::int64_t> added;
        while (q.executeStep()) {
            added[q.getColumn(0).getString()] += q.getColumn(1).getInt64();
            last = std::max(last, q.getColumn(2).getInt64());
        }
        for (const auto& [kind, n] : added) m_entries_by_kind[kind] += n;
        m_ledger_seq = last;
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace rewardd::metrics
