// The replay database is a scratch SQLite file with the same migrations, so the applier runs
// exactly as in the daemon (same SQL, same ordering, the same category preparer over a copy of
// the product catalogue), only without fsync and without the outbox hook. A file, not memory: a replay holds a copy of every stored event and the whole replayed
// ledger, about a kilobyte per event, which SQLite then pages instead of keeping all of it.
#include "books/ledger_replay.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <functional>

#include "books/ledger_by_key.hpp"
#include "catalog/category_preparer.hpp"
#include "refunds/refund_line_preparer.hpp"
#include "ingest/ledger_applier.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"

namespace rewardd::books {
namespace {

Error storage_error(const std::exception& e) {
    return make_error(ErrorCode::storage_unavailable, std::string("reconcile: ") + e.what());
}

// The replay's scratch database in the system's temporary directory, removed with it.
class ScratchDatabase {
public:
    ScratchDatabase() {
        static std::atomic<unsigned> counter{0};
        // As std::filesystem::temp_directory_path() chooses, but read here so that an unusable
        // directory is named in the error (that function's own error does not name it).
        const char* tmpdir = std::getenv("TMPDIR");
        const std::string dir = tmpdir && *tmpdir ? tmpdir : "/tmp";
        m_path = dir + "/rewardd-replay-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".db";
        try {
            m_db = std::make_shared<SQLite::Database>(m_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            // Nothing here needs to survive a crash; a batch's rollback still needs its journal.
            m_db->exec("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -32768");
        } catch (const std::exception& e) {
            throw std::runtime_error("scratch database " + m_path + " (in TMPDIR or /tmp): " + e.what());
        }
    }
    ~ScratchDatabase() {
        m_db.reset();
        std::error_code ignored;
        std::filesystem::remove(m_path, ignored);
    }
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;
    const std::shared_ptr<SQLite::Database>& db() const { return m_db; }

private:
    std::string m_path;
    std::shared_ptr<SQLite::Database> m_db;
};

// A batch as the daemon applied it: the events up to `seq_to`, at `applied_at` (apply_log), its
// orders taken in `order` (by order id before schema v9).
struct AppliedBatch {
    std::int64_t seq_to = 0;
    Timestamp applied_at = 0;
    BatchOrder order = BatchOrder::arrival;
};

// Everything the replay takes from the source, copied in one transaction while it is attached:
// the events to replay, staged in `replay_inbox` and moved into `events` batch by batch, and the
// batches the daemon applied them in. The source stays attached only for the copy: a write
// transaction on a connection with an attached database would lock the daemon's file too.
std::vector<AppliedBatch> stage(SQLite::Database& replay, SQLite::Database& source, const ReplayOptions& options) {
    replay.exec("CREATE TABLE replay_inbox (seq INTEGER PRIMARY KEY, shop_id TEXT, event_id TEXT, type TEXT, "
                "order_id TEXT, occurred_at INTEGER, received_at INTEGER, body TEXT)");
    SQLite::Statement attach(replay, "ATTACH DATABASE ? AS src");
    attach.bind(1, source.getFilename());
    attach.exec();
    std::vector<AppliedBatch> batches;
    {
        SQLite::Transaction tx(replay);
        const std::string applied = options.applied_only ? " AND seq <= (SELECT seq FROM src.apply_cursor WHERE id = 1)" : "";
        SQLite::Statement copy(replay, "INSERT INTO replay_inbox SELECT seq, shop_id, event_id, type, order_id, "
                                       "occurred_at, received_at, body FROM src.events WHERE occurred_at <= ?" + applied);
        copy.bind(1, static_cast<std::int64_t>(options.until));
        copy.exec();
        // What the daemon's category preparer reads (serve_command): each shop's platform (no
        // secret or settings: the scratch file needs none) and the product catalogue as fetched.
        replay.exec("INSERT INTO shops (id, platform, secret, settings, created_at) "
                    "SELECT id, platform, '', '{}', created_at FROM src.shops");
        replay.exec("INSERT INTO product_categories SELECT * FROM src.product_categories");
        // And the WooCommerce refund documents as fetched (refunds/refund_line_preparer.hpp).
        replay.exec("INSERT INTO woocommerce_refunds SELECT * FROM src.woocommerce_refunds");
        // Erased customers' former keys: the referral codes made from them name the pseudonym.
        replay.exec("INSERT INTO erased_customers SELECT * FROM src.erased_customers");
        SQLite::Statement log(replay, "SELECT seq_to, applied_at, seq_to <= (SELECT by_order_id_through FROM "
                                      "src.apply_order_change WHERE id = 1) FROM src.apply_log WHERE seq_to <= "
                                      "(SELECT seq FROM src.apply_cursor WHERE id = 1) ORDER BY seq_to");
        while (log.executeStep()) {
            const auto order = log.getColumn(2).getInt() != 0 ? BatchOrder::order_id : BatchOrder::arrival;
            batches.push_back({log.getColumn(0).getInt64(), log.getColumn(1).getInt64(), order});
        }
        tx.commit();
    }
    replay.exec("DETACH DATABASE src");
    return batches;
}

// Moves into the inbox the applier reads the staged events the daemon had stored by `t` (a batch
// is applied up to `seq_to`, but an order's later events already stored show to its engine run),
// and the rest up to `seq_to`; answers how many events wait up to `seq_to`.
std::size_t receive_until(SQLite::Database& replay, std::int64_t seq_to, Timestamp t) {
    SQLite::Transaction tx(replay);
    SQLite::Statement move(replay, "INSERT INTO events (seq, shop_id, event_id, type, order_id, occurred_at, "
                                   "received_at, body) SELECT * FROM replay_inbox WHERE seq <= ? OR received_at <= ?");
    move.bind(1, seq_to);
    move.bind(2, static_cast<std::int64_t>(t));
    move.exec();
    SQLite::Statement drop(replay, "DELETE FROM replay_inbox WHERE seq <= ? OR received_at <= ?");
    drop.bind(1, seq_to);
    drop.bind(2, static_cast<std::int64_t>(t));
    drop.exec();
    SQLite::Statement waiting(replay, "SELECT COUNT(*) FROM events WHERE seq <= ? AND seq > "
                                      "(SELECT seq FROM apply_cursor WHERE id = 1)");
    waiting.bind(1, seq_to);
    waiting.executeStep();
    const auto count = waiting.getColumn(0).getInt64();
    tx.commit();
    return static_cast<std::size_t>(count);
}

// The replay of one history: the engine's entries come from the applier, the ones written outside
// it (redemptions) are laid in as their time comes, since no event reproduces them.
class Replay {
public:
    Replay(SqliteStore& store, LedgerApplier& applier, std::vector<LedgerEntry> outside)
        : m_store(store), m_applier(applier), m_outside(std::move(outside)) {
        std::stable_sort(m_outside.begin(), m_outside.end(),
                         [](const auto& a, const auto& b) { return a.effective_at < b.effective_at; });
    }

    // Each wake-up due by `t`, at its own time, as the daemon's writer releases them.
    Result<bool> release_due_by(Timestamp t) {
        for (;;) {
            auto due = m_store.due_wakeups(t, 1);
            if (!due) return due.error();
            if (due->empty()) return true;
            if (auto r = m_applier.release_due(4096, due->front().due_at); !r) return r.error();
        }
    }

    // The outside entries effective by `t`.
    Result<bool> lay_outside_by(Timestamp t) {
        for (; m_next_outside < m_outside.size() && m_outside[m_next_outside].effective_at <= t; ++m_next_outside) {
            const auto& e = m_outside[m_next_outside];
            if (auto w = m_store.append_entry(e, e.effective_at); !w) return w.error();
        }
        return true;
    }

private:
    SqliteStore& m_store;
    LedgerApplier& m_applier;
    std::vector<LedgerEntry> m_outside;
    std::size_t m_next_outside = 0;
};

std::vector<LedgerEntry> entries_written_outside_engine(SQLite::Database& source, Timestamp until) {
    std::vector<LedgerEntry> out;
    RecordedByKey recorded(source);
    while (auto entry = recorded.next()) {
        if (written_outside_engine(entry->kind) && entry->effective_at <= until) out.push_back(std::move(*entry));
    }
    return out;
}

}  // namespace

bool written_outside_engine(EntryKind kind) {
    return kind == EntryKind::reserve || kind == EntryKind::reserve_release || kind == EntryKind::redeem_commit;
}

// The logged batches are applied one by one at the time the daemon applied them (never later than
// `now`), wake-ups due before each first: under tiers an order applied before an earlier order
// arrived earns at the tier the ledger knew and is settled at its release, and the replay must
// meet the same ledger to write the same entries. Events applied before the log existed (older
// databases) come with the first logged batch, at once, at its time; events not yet applied come
// last, at once, at `now`.
Result<bool> replay_ledger(SQLite::Database& source, const RuleBook& rules, const ReplayOptions& options,
                           const std::function<Result<bool>(SQLite::Database& replayed)>& read) {
    try {
        ScratchDatabase scratch;
        const auto& replay = scratch.db();
        if (auto m = migrate(*replay); !m) return m.error();
        const auto batches = stage(*replay, source, options);
        SqliteStore store(replay);
        LedgerApplier applier(store, std::make_shared<const RewardEngine>(rules));
        // WooCommerce lines get their categories from the copied catalogue, as the daemon's did:
        // without them every order earning by category would replay as a difference.
        if (rules_use_categories(rules)) {
            CategoryPreparerOptions prepare;
            prepare.wait_for_unknown = options.wait_for_fetches;
            applier.add_order_preparer(make_category_preparer(replay, prepare));
        }
        // Refunds weighed with the documents the daemon kept; one it is still fetching waits, as in
        // the daemon; one it never asked for (no credentials then, or taken back by amount) goes by
        // its amount.
        RefundLinePreparerOptions refunds;
        refunds.ask_for_documents = false;
        refunds.wait_while_fetched = options.wait_for_fetches;
        applier.add_order_preparer(make_refund_line_preparer(replay, refunds));
        Replay history(store, applier, entries_written_outside_engine(source, options.until));
        for (const auto& batch : batches) {
            const auto t = std::min(batch.applied_at, options.now);
            if (auto r = history.release_due_by(t); !r) return r.error();
            if (auto r = history.lay_outside_by(t); !r) return r.error();
            const auto received = receive_until(*replay, batch.seq_to, t);
            if (received == 0) continue;
            applier.set_batch_order(batch.order);
            if (auto a = applier.apply_next(received, t); !a) return a.error();
        }
        applier.set_batch_order(BatchOrder::arrival);  // what was not applied yet, as the daemon will
        if (auto r = history.lay_outside_by(std::numeric_limits<Timestamp>::max()); !r) return r.error();
        receive_until(*replay, std::numeric_limits<std::int64_t>::max(), options.now);
        if (auto a = applier.apply_all(1024, options.now); !a) return a.error();
        if (auto r = history.release_due_by(options.now); !r) return r.error();
        return read(*replay);
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<std::map<std::string, LedgerEntry>> replay_ledger(SQLite::Database& source, const RuleBook& rules,
                                                        const ReplayOptions& options) {
    std::map<std::string, LedgerEntry> out;
    auto done = replay_ledger(source, rules, options, [&out](SQLite::Database& replayed) -> Result<bool> {
        LedgerByKey entries(replayed);
        out = map_by_key(entries);
        return true;
    });
    if (!done) return done.error();
    return out;
}

Result<std::map<std::string, LedgerEntry>> recorded_ledger(SQLite::Database& source) {
    try {
        RecordedByKey recorded(source);
        return map_by_key(recorded);
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
