// The single writer. Request threads hand it stored-event candidates and wait; it commits them in
// groups (one fsync for many requests: group commit), answers each request once its group is
// durable, then applies stored events to the ledger and releases due points between groups.
// A storage failure (disk full, database locked) answers the group's requests with an error and
// nothing of the group is written; the writer keeps probing and recovers on its own.
#pragma once

#include <SQLiteCpp/Database.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "ingest/ledger_applier.hpp"
#include "metrics/daemon_metrics.hpp"
#include "store/sqlite_store.hpp"

namespace rewardd {

struct BatchWriterOptions {
    std::size_t intake_batch_max = 1024;
    std::size_t apply_batch_max = 512;
    std::int64_t release_check_interval_ms = 1000;
    std::int64_t storage_retry_ms = 250;  // how often a failed store is probed until it recovers
    // Nothing committed or applied for this long: the writer gives back what it keeps for bursts
    // (the applier's kept ledgers and parsed events, its connection's page cache) and the heap
    // they freed, so that an idle daemon stays small after a busy hour.
    std::int64_t idle_shed_after_ms = 30000;
};

struct BatchStats {
    std::uint64_t batches = 0;
    std::uint64_t events_committed = 0;
    std::uint64_t largest_batch = 0;
    std::uint64_t failed_batches = 0;
    std::uint64_t idle_sheds = 0;  // times the writer gave its caches back (once per idle spell)
};

class BatchWriter {
public:
    using Clock = std::function<Timestamp()>;
    // Extra writes that must land with a submission's events, in the same transaction on the
    // writer's connection (a platform's delivery log, say), with that connection's compiled
    // statements. Runs on the writer thread.
    using GroupWrite = std::function<Result<bool>(SQLite::Database&, StatementCache&)>;
    using Outcome = Result<std::vector<Appended>>;

    BatchWriter(std::shared_ptr<SQLite::Database> db, std::shared_ptr<const RewardEngine> engine,
                BatchWriterOptions options, Clock clock);
    ~BatchWriter();

    void start();
    // Stops taking new events, commits and applies what is queued, then joins the thread.
    void stop();

    // Resolves once all of `events` (and `also`) are durable together, each inserted or duplicate,
    // or with the error that kept all of them out.
    std::future<Outcome> submit(std::vector<InboxEvent> events, GroupWrite also = {});
    // One event on its own: inserted or duplicate once durable, or the error that kept it out.
    std::future<Result<Appended>> submit(InboxEvent event);

    // See LedgerApplier::set_entry_hook; call before start().
    void set_entry_hook(LedgerApplier::EntryHook hook) { m_applier.set_entry_hook(std::move(hook)); }
    // See LedgerApplier::add_order_preparer; call before start().
    void add_order_preparer(LedgerApplier::OrderPreparer preparer) {
        m_applier.add_order_preparer(std::move(preparer));
    }
    // See LedgerApplier::set_code_lookup; call before start().
    void set_code_lookup(LedgerApplier::CodeLookup lookup) { m_applier.set_code_lookup(std::move(lookup)); }

    // Batch sizes, commit latency and webhook lag go here (GET /metrics); call before start().
    void set_metrics(metrics::IngestMetrics* metrics) { m_metrics = metrics; }
    // Also run at each idle shed, on the writer's thread, before the trim: the request side (the
    // webhooks and routes, whose connections the HTTP workers use) gives back its caches too, since
    // no event has come for the idle delay either. Must take whatever lock guards what it frees;
    // call before start().
    void add_idle_shed(std::function<void()> shed) { m_idle_sheds.push_back(std::move(shed)); }

    bool healthy() const { return m_healthy.load(); }
    BatchStats stats() const;

private:
    struct Pending {
        std::vector<InboxEvent> events;
        GroupWrite also;
        std::function<void(Outcome)> done;  // called once, on the writer thread
    };

    void enqueue(Pending pending);

    enum class Ended { stopped, shed };
    void supervise();
    Ended run(bool after_shed);
    std::deque<Pending> next_group(bool idle, std::chrono::steady_clock::time_point wake_at, bool& stopping);
    void commit_group(std::deque<Pending>& group);
    Result<std::vector<Appended>> write_group(const std::deque<Pending>& group);
    enum class Applied { some, none, failed };
    Applied apply_some(std::size_t limit);
    std::size_t apply_limit(std::chrono::steady_clock::time_point last_applied,
                            std::chrono::steady_clock::time_point last_commit) const;
    void probe();
    void shed_when_idle();
    void use_sync(int level);
    void record(const std::deque<Pending>& group, const Outcome& result, std::chrono::steady_clock::duration took);

    std::shared_ptr<SQLite::Database> m_db;
    std::unique_ptr<SqliteStore> m_store;
    LedgerApplier m_applier;
    BatchWriterOptions m_options;
    Clock m_clock;
    int m_intake_sync = 2;  // PRAGMA synchronous as configured: group commits use it
    int m_sync_now = 2;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Pending> m_queue;
    bool m_stopping = false;
    std::thread m_thread;
    std::atomic<bool> m_healthy{true};
    BatchStats m_stats;
    metrics::IngestMetrics* m_metrics = nullptr;
    std::vector<std::function<void()>> m_idle_sheds;
};

}  // namespace rewardd
