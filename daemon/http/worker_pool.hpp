// The HTTP server's workers: at most `max_threads`, started as connections arrive and ended after
// `idle_exit` with nothing to do. httplib's own pool starts all its threads up front and keeps
// them for the daemon's lifetime, and each kept thread holds what its busiest moment left behind:
// its touched stack pages and glibc's per-thread cache of freed blocks (tcache), which no
// malloc_trim gives back. A thread that ends gives both back (its cache returns to the arena that
// the writer's idle shed trims, and its stack, mapped for it alone, is unmapped once it is joined:
// by the next worker to end, so an idle daemon holds at most one ended worker's stack).
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "threads/stack_thread.hpp"

namespace rewardd {

class WorkerPool : public httplib::TaskQueue {
public:
    WorkerPool(std::size_t max_threads, std::chrono::milliseconds idle_exit);
    ~WorkerPool() override;

    // A job runs on an idle worker, else on a new one while fewer than max_threads live, else
    // waits for the first worker to come free.
    void enqueue(std::function<void()> fn) override;
    // Runs what is queued, then ends and joins every worker. Jobs enqueued afterwards are dropped.
    void shutdown() override;

    std::size_t live_threads() const;
    std::size_t idle_threads() const;  // live and waiting for a job
    std::size_t unjoined_threads() const;  // ended, stack still mapped until joined

private:
    void work();
    void start_worker();  // with m_mutex held
    void join_ended();

    const std::size_t m_max;
    const std::chrono::milliseconds m_idle_exit;
    mutable std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<std::function<void()>> m_jobs;
    std::map<pthread_t, std::unique_ptr<StackThread>> m_live;
    std::vector<std::unique_ptr<StackThread>> m_ended;  // returned from work(), not yet joined
    std::size_t m_idle = 0;
    bool m_shutdown = false;
};

}  // namespace rewardd
