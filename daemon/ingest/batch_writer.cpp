// The writer thread's loop. SQLite allows one writer at a time, so one thread doing both the
// group commits and the ledger application never waits on itself.
#include "batch_writer.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace rewardd {

BatchWriter::BatchWriter(std::unique_ptr<LedgerStore> store, std::shared_ptr<const RewardEngine> engine,
                         BatchWriterOptions options, Clock clock)
    : m_store(std::move(store)),
      m_applier(*m_store, std::move(engine)),
      m_options(options),
      m_clock(std::move(clock)) {}

BatchWriter::~BatchWriter() { stop(); }

void BatchWriter::start() { m_thread = std::thread([this] { run(); }); }

void BatchWriter::stop() {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping && !m_thread.joinable()) return;
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

std::future<Result<Appended>> BatchWriter::submit(InboxEvent event) {
    Pending p{std::move(event), {}};
    auto future = p.done.get_future();
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            p.done.set_value(make_error(ErrorCode::storage_unavailable, "shutting down"));
            return future;
        }
        m_queue.push_back(std::move(p));
    }
    m_wake.notify_one();
    return future;
}

BatchStats BatchWriter::stats() const {
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void BatchWriter::commit_group(std::deque<Pending>& group) {
    std::vector<InboxEvent> events;
    events.reserve(group.size());
    for (const auto& p : group) events.push_back(p.event);
    auto result = m_store->append_events(events);
    m_healthy = result.ok();
    if (!result) spdlog::error("store: group commit failed events={} error={}", group.size(), result.error().message);
    for (std::size_t i = 0; i < group.size(); ++i) {
        if (result) {
            group[i].done.set_value((*result)[i]);
        } else {
            group[i].done.set_value(result.error());
        }
    }
    std::lock_guard lock(m_mutex);
    ++m_stats.batches;
    m_stats.events_committed += result ? group.size() : 0;
    m_stats.largest_batch = std::max<std::uint64_t>(m_stats.largest_batch, group.size());
}

bool BatchWriter::apply_some(Timestamp now) {
    auto applied = m_applier.apply_next(m_options.apply_batch_max, now);
    if (!applied) {
        spdlog::warn("engine: applying stored events failed, will retry error={}", applied.error().message);
        return false;
    }
    return applied->events > 0;
}

void BatchWriter::run() {
    using namespace std::chrono;
    auto next_release_check = steady_clock::now();
    bool more_to_apply = true;  // a restart applies whatever was stored and not yet applied
    for (;;) {
        std::deque<Pending> group;
        bool stopping;
        {
            std::unique_lock lock(m_mutex);
            if (!more_to_apply) {
                m_wake.wait_until(lock, next_release_check, [&] { return m_stopping || !m_queue.empty(); });
            }
            while (!m_queue.empty() && group.size() < m_options.intake_batch_max) {
                group.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            stopping = m_stopping && m_queue.empty();
        }
        if (!group.empty()) commit_group(group);
        const Timestamp now = m_clock();
        more_to_apply = apply_some(now) || !group.empty();
        if (steady_clock::now() >= next_release_check) {
            if (auto r = m_applier.release_due(m_options.apply_batch_max, now); !r) {
                spdlog::warn("engine: releasing due points failed error={}", r.error().message);
            }
            next_release_check = steady_clock::now() + milliseconds(m_options.release_check_interval_ms);
        }
        if (stopping && !more_to_apply) return;
        if (!m_healthy && group.empty()) std::this_thread::sleep_for(milliseconds(50));
    }
}

}  // namespace rewardd
