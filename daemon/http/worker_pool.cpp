#include "worker_pool.hpp"

#include <spdlog/spdlog.h>

#include <system_error>

namespace rewardd {

WorkerPool::WorkerPool(std::size_t max_threads, std::chrono::milliseconds idle_exit)
    : m_max(max_threads == 0 ? 1 : max_threads), m_idle_exit(idle_exit) {}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::enqueue(std::function<void()> fn) {
    {
        std::lock_guard lock(m_mutex);
        if (m_shutdown) return;
        m_jobs.push_back(std::move(fn));
        if (m_idle < m_jobs.size() && m_live.size() < m_max) start_worker();
    }
    m_ready.notify_one();
    join_ended();
}

// A thread the system refuses leaves the job queued: a live worker takes it when it comes free,
// and the next connection tries to start one again.
void WorkerPool::start_worker() {
    try {
        auto t = std::make_unique<StackThread>([this] { work(); });
        const auto id = t->id();
        m_live.emplace(id, std::move(t));
    } catch (const std::system_error& e) {
        spdlog::warn("http: cannot start a worker thread live={} error={}", m_live.size(), e.what());
    }
}

void WorkerPool::work() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_mutex);
            ++m_idle;
            const bool woken = m_ready.wait_for(lock, m_idle_exit, [&] { return !m_jobs.empty() || m_shutdown; });
            --m_idle;
            if (m_jobs.empty()) {
                // Idle for m_idle_exit, or shutting down with nothing left: this worker ends. At
                // shutdown, shutdown() joins it; otherwise the next worker to end, the next
                // enqueue or shutdown does. It joins the workers that ended before it.
                if (!woken && !m_shutdown) {
                    std::vector<std::unique_ptr<StackThread>> before;
                    before.swap(m_ended);
                    auto self = m_live.find(pthread_self());
                    m_ended.push_back(std::move(self->second));
                    m_live.erase(self);
                    lock.unlock();
                    for (auto& t : before) t->join();
                }
                return;
            }
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        job();
    }
}

void WorkerPool::join_ended() {
    std::vector<std::unique_ptr<StackThread>> ended;
    {
        std::lock_guard lock(m_mutex);
        ended.swap(m_ended);
    }
    for (auto& t : ended) t->join();
}

void WorkerPool::shutdown() {
    std::map<pthread_t, std::unique_ptr<StackThread>> live;
    {
        std::lock_guard lock(m_mutex);
        m_shutdown = true;
        live.swap(m_live);
    }
    m_ready.notify_all();
    for (auto& [id, t] : live) t->join();
    join_ended();
}

std::size_t WorkerPool::live_threads() const {
    std::lock_guard lock(m_mutex);
    return m_live.size();
}

std::size_t WorkerPool::unjoined_threads() const {
    std::lock_guard lock(m_mutex);
    return m_ended.size();
}

std::size_t WorkerPool::idle_threads() const {
    std::lock_guard lock(m_mutex);
    return m_idle;
}

}  // namespace rewardd
