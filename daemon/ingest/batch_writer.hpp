// The single writer. Request threads hand it stored-event candidates and wait; it commits them in
// groups (one fsync for many requests: group commit), answers each request once its group is
// durable, then applies stored events to the ledger and releases due points between groups.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "core/ledger_store.hpp"
#include "ingest/ledger_applier.hpp"

namespace rewardd {

struct BatchWriterOptions {
    std::size_t intake_batch_max = 1024;
    std::size_t apply_batch_max = 512;
    std::int64_t release_check_interval_ms = 1000;
};

struct BatchStats {
    std::uint64_t batches = 0;
    std::uint64_t events_committed = 0;
    std::uint64_t largest_batch = 0;
};

class BatchWriter {
public:
    using Clock = std::function<Timestamp()>;

    BatchWriter(std::unique_ptr<LedgerStore> store, std::shared_ptr<const RewardEngine> engine,
                BatchWriterOptions options, Clock clock);
    ~BatchWriter();

    void start();
    // Stops taking new events, commits and applies what is queued, then joins the thread.
    void stop();

    // The future resolves once the event is durable (inserted or duplicate) or failed to store.
    std::future<Result<Appended>> submit(InboxEvent event);

    // See LedgerApplier::set_entry_hook; call before start().
    void set_entry_hook(LedgerApplier::EntryHook hook) { m_applier.set_entry_hook(std::move(hook)); }

    bool healthy() const { return m_healthy.load(); }
    BatchStats stats() const;

private:
    struct Pending {
        InboxEvent event;
        std::promise<Result<Appended>> done;
    };

    void run();
    void commit_group(std::deque<Pending>& group);
    bool apply_some(Timestamp now);

    std::unique_ptr<LedgerStore> m_store;
    LedgerApplier m_applier;
    BatchWriterOptions m_options;
    Clock m_clock;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Pending> m_queue;
    bool m_stopping = false;
    std::thread m_thread;
    std::atomic<bool> m_healthy{true};
    BatchStats m_stats;
};

}  // namespace rewardd
