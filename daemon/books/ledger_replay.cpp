// The replay database is SQLite in memory with the same migrations, so the applier runs exactly
// as in the daemon (same SQL, same ordering), only without fsync and without the outbox hook.
#include "books/ledger_replay.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "ingest/ledger_applier.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"

namespace rewardd::books {
namespace {

Error storage_error(const std::exception& e) {
    return make_error(ErrorCode::storage_unavailable, std::string("reconcile: ") + e.what());
}

std::vector<LedgerEntry> read_all(SQLite::Database& db, const std::string& where) {
    SQLite::Statement q(db, std::string("SELECT ") + k_entry_columns + " FROM ledger " + where + " ORDER BY seq");
    std::vector<LedgerEntry> out;
    while (q.executeStep()) out.push_back(read_ledger_entry(q));
    return out;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

// Copies the applied events and the redemption entries into the replay database. SQLite cannot
// attach inside a transaction, so the source is attached first and the copy is one transaction.
void seed(SQLite::Database& replay, SQLite::Database& source, SqliteStore& store, const ReplayOptions& options) {
    SQLite::Statement attach(replay, "ATTACH DATABASE ? AS src");
    attach.bind(1, source.getFilename());
    attach.exec();
    SQLite::Transaction tx(replay);
    SQLite::Statement copy(replay, std::string("INSERT INTO events (seq, shop_id, event_id, type, order_id, "
                                               "occurred_at, received_at, body) SELECT seq, shop_id, event_id, type, "
                                               "order_id, occurred_at, received_at, body FROM src.events "
                                               "WHERE occurred_at <= ?") +
                                   (options.applied_only ? " AND seq <= (SELECT seq FROM src.apply_cursor WHERE id = 1)" : ""));
    copy.bind(1, static_cast<std::int64_t>(options.until));
    copy.exec();
    auto recorded = recorded_ledger(source);
    if (!recorded) throw std::runtime_error(recorded.error().message);
    for (const auto& [key, entry] : *recorded) {
        if (written_outside_engine(entry.kind) && entry.effective_at <= options.until) {
            (void)store.append_entry(entry, entry.effective_at);
        }
    }
    tx.commit();
    replay.exec("DETACH DATABASE src");
}

}  // namespace

bool written_outside_engine(EntryKind kind) {
    return kind == EntryKind::reserve || kind == EntryKind::reserve_release || kind == EntryKind::redeem_commit;
}

Result<std::map<std::string, LedgerEntry>> replay_ledger(SQLite::Database& source, const RuleBook& rules,
                                                        const ReplayOptions& options) {
    try {
        auto replay = std::make_shared<SQLite::Database>(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        if (auto m = migrate(*replay); !m) return m.error();
        SqliteStore store(replay);
        seed(*replay, source, store, options);
        LedgerApplier applier(store, std::make_shared<const RewardEngine>(rules));
        if (auto a = applier.apply_all(1024, options.now); !a) return a.error();
        for (;;) {  // each round releases what is due; a wake-up moved to later stops the loop
            auto due = store.due_wakeups(options.now, 1);
            if (!due) return due.error();
            if (due->empty()) break;
            if (auto r = applier.release_due(4096, options.now); !r) return r.error();
        }
        std::map<std::string, LedgerEntry> out;
        for (auto& e : read_all(*replay, "")) out.emplace(e.key, std::move(e));
        return out;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<std::map<std::string, LedgerEntry>> recorded_ledger(SQLite::Database& source) {
    try {
        std::map<std::string, std::string> pseudonyms;
        SQLite::Statement q(source, "SELECT customer, pseudonym FROM erased_customers");
        while (q.executeStep()) pseudonyms[q.getColumn(0).getString()] = q.getColumn(1).getString();
        std::map<std::string, LedgerEntry> out;
        for (auto& e : read_all(source, "")) {
            if (const auto it = pseudonyms.find(e.customer); it != pseudonyms.end()) {
                replace_all(e.key, it->first, it->second);
                replace_all(e.refers_to, it->first, it->second);
                e.customer = it->second;
            }
            out.emplace(e.key, std::move(e));
        }
        return out;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<Timestamp> last_applied_at(SQLite::Database& source) {
    try {
        return source.execAndGet("SELECT MAX(COALESCE((SELECT MAX(recorded_at) FROM ledger), 0), "
                                 "COALESCE((SELECT MAX(received_at) FROM events), 0))")
            .getInt64();
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

}  // namespace rewardd::books
