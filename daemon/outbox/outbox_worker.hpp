// The outbox's delivery thread in the daemon: picks due items, hands each to its platform's
// RewardDeliverer, and records the outcome (delivered, retry later with backoff, or parked).
// Items survive restarts in the database; a crash mid-delivery repeats that delivery, which the
// deliverer's idempotency (per grant id) turns into a no-op on the platform.
#pragma once

#include <SQLiteCpp/Database.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "metrics/daemon_metrics.hpp"
#include "outbox/outbox_store.hpp"
#include "outbox/retry_policy.hpp"
#include "outbox/reward_deliverer.hpp"

namespace rewardd {

struct OutboxOptions {
    RetryPolicy retry;
    std::int64_t poll_interval_ms = 1000;  // how often the table is checked for due items
    std::size_t batch_max = 16;            // items attempted per wake-up
};

class OutboxWorker {
public:
    using MsClock = std::function<std::int64_t()>;  // unix milliseconds

    OutboxWorker(std::shared_ptr<SQLite::Database> db, OutboxOptions options, MsClock clock);
    ~OutboxWorker();

    void add_deliverer(std::unique_ptr<RewardDeliverer> deliverer);
    // Other calls to the same platforms, made on this thread after each round of deliveries (the
    // WooCommerce refund documents orders wait for): no thread of their own. A task makes at most
    // one call a round, so a stop waits for one call at most, and answers whether it may have more
    // due (the next round then comes at once). Call before start().
    using SideTask = std::function<bool(std::int64_t now_ms)>;
    void add_side_task(SideTask task) { m_side_tasks.push_back(std::move(task)); }
    // Attempts by platform and outcome go here (GET /metrics); call before start().
    void set_metrics(metrics::OutboxMetrics* metrics) { m_metrics = metrics; }
    void start();
    void stop();  // finishes the attempt in flight, then joins
    void wake();  // check for due items now

    // Attempts the items due at `now_ms`; returns how many were attempted. Used by the thread
    // and by tests.
    std::size_t run_once(std::int64_t now_ms);

private:
    void run();
    void attempt(const OutboxItem& item, std::int64_t now_ms);

    std::shared_ptr<SQLite::Database> m_db;
    OutboxStore m_store;
    OutboxOptions m_options;
    MsClock m_clock;
    std::map<std::string, std::unique_ptr<RewardDeliverer>> m_deliverers;  // by platform
    std::vector<SideTask> m_side_tasks;

    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    bool m_woken = false;
    std::thread m_thread;
    metrics::OutboxMetrics* m_metrics = nullptr;
};

std::int64_t unix_ms_now();

}  // namespace rewardd
