// The writer thread's loop. SQLite allows one writer at a time, so one thread doing both the
// group commits and the ledger application never waits on itself. Intake comes first: a request
// is answered as soon as its event is durable, and the ledger (derived from stored events, so it
// may lag) is applied in short slices between groups. While requests keep waiting, the applier
// only gets a slice when it has been starved for a while, so a burst is taken at the speed of the
// group commit and the ledger catches up after it.
#include "batch_writer.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>

#include "store/wal_write_gathering.hpp"
#include "threads/stack_thread.hpp"

namespace rewardd {
namespace {

// A slice small enough that a request arriving during it waits a few milliseconds at most.
constexpr std::size_t k_apply_slice = 64;
// While requests keep coming, the ledger still moves at least one slice this often.
constexpr auto k_apply_starved_after = std::chrono::milliseconds(100);
// After a group is answered, its senders' next requests come within a fraction of a millisecond
// under load: the applier waits this long for them before taking the thread.
constexpr auto k_intake_linger = std::chrono::milliseconds(2);
constexpr int k_sync_normal = 1;

}  // namespace

BatchWriter::BatchWriter(std::shared_ptr<SQLite::Database> db, std::shared_ptr<const RewardEngine> engine,
                         BatchWriterOptions options, Clock clock)
    : m_db(std::move(db)),
      m_store(std::make_unique<SqliteStore>(m_db)),
      m_applier(*m_store, std::move(engine)),
      m_options(options),
      m_clock(std::move(clock)) {
    try {
        m_intake_sync = m_sync_now = m_db->execAndGet("PRAGMA synchronous").getInt();
    } catch (const std::exception& e) {
        spdlog::warn("store: cannot read the synchronous level error={}", e.what());
    }
}

BatchWriter::~BatchWriter() { stop(); }

void BatchWriter::start() { m_thread = std::thread([this] { supervise(); }); }

// The loop runs on a thread of its own, and on a new one after each idle shed, trimmed after
// (threads/stack_thread.hpp): after a burst, the writer's cache of freed blocks held a few hundred
// blocks spread over the megabytes its arena grew to, each pinning its page (103 pages held only
// such blocks after 2,000 orders; bench/README, session 20).
void BatchWriter::supervise() {
    bool after_shed = false;
    for (;;) {
        Ended ended = Ended::stopped;
        run_on_own_thread_then_trim([&] { ended = run(after_shed); }, "the writer's loop");
        if (ended == Ended::stopped) return;
        std::lock_guard lock(m_mutex);
        ++m_stats.idle_sheds;
        after_shed = true;
    }
}

void BatchWriter::stop() {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping && !m_thread.joinable()) return;
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void BatchWriter::enqueue(Pending p) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_stopping) {
            m_queue.push_back(std::move(p));
            m_wake.notify_one();
            return;
        }
    }
    p.done(make_error(ErrorCode::storage_unavailable, "shutting down"));
}

std::future<BatchWriter::Outcome> BatchWriter::submit(std::vector<InboxEvent> events, GroupWrite also) {
    auto promise = std::make_shared<std::promise<Outcome>>();
    auto future = promise->get_future();
    enqueue({std::move(events), std::move(also), [promise](Outcome o) { promise->set_value(std::move(o)); }});
    return future;
}

std::future<Result<Appended>> BatchWriter::submit(InboxEvent event) {
    auto promise = std::make_shared<std::promise<Result<Appended>>>();
    auto future = promise->get_future();
    enqueue({{std::move(event)}, {}, [promise](Outcome o) {
                 promise->set_value(o ? Result<Appended>(o->front()) : Result<Appended>(o.error()));
             }});
    return future;
}

BatchStats BatchWriter::stats() const {
    std::lock_guard lock(m_mutex);
    return m_stats;
}

// Group commits use the configured level (FULL: fsync'd before anyone is answered). Applying
// the ledger is derived from stored events and re-done from the apply cursor after a crash, so
// its commits skip their own fsync (NORMAL); in WAL mode the next group commit's fsync of the
// log makes them durable as well.
void BatchWriter::use_sync(int level) {
    if (level == m_sync_now) return;
    try {
        m_db->exec("PRAGMA synchronous = " + std::to_string(level));
        m_sync_now = level;
    } catch (const std::exception& e) {
        spdlog::warn("store: cannot set the synchronous level error={}", e.what());
    }
}

// Everything of the group in one transaction: a failure leaves none of it behind.
Result<std::vector<Appended>> BatchWriter::write_group(const std::deque<Pending>& group) {
    use_sync(m_intake_sync);
    std::vector<InboxEvent> events;
    for (const auto& p : group) events.insert(events.end(), p.events.begin(), p.events.end());
    std::vector<Appended> appended;
    auto committed = m_store->write_transaction([&]() -> Result<bool> {
        auto inserted = m_store->append_events(events);
        if (!inserted) return inserted.error();
        appended = std::move(*inserted);
        for (const auto& p : group) {
            if (!p.also) continue;
            if (auto r = p.also(*m_db, m_store->statements()); !r) return r.error();
        }
        return true;
    });
    if (!committed) return committed.error();
    return appended;
}

void BatchWriter::commit_group(std::deque<Pending>& group) {
    const auto started = std::chrono::steady_clock::now();
    auto result = write_group(group);
    record(group, result, std::chrono::steady_clock::now() - started);
    if (result && !m_healthy.load()) spdlog::info("store: storage recovered, taking events again");
    m_healthy = result.ok();
    if (!result) spdlog::error("store: group commit failed requests={} error={}", group.size(), result.error().message);
    std::size_t offset = 0, events = 0;
    for (auto& p : group) {
        const std::size_t n = p.events.size();
        if (result) {
            p.done(std::vector<Appended>(result->begin() + static_cast<std::ptrdiff_t>(offset),
                                         result->begin() + static_cast<std::ptrdiff_t>(offset + n)));
        } else {
            p.done(result.error());
        }
        offset += n;
        events += n;
    }
    std::lock_guard lock(m_mutex);
    ++m_stats.batches;
    if (!result) ++m_stats.failed_batches;
    m_stats.events_committed += result ? events : 0;
    m_stats.largest_batch = std::max<std::uint64_t>(m_stats.largest_batch, events);
}

// Lag is measured for events stored for the first time: a repeat says nothing about how late
// the platform is now.
void BatchWriter::record(const std::deque<Pending>& group, const Outcome& result,
                         std::chrono::steady_clock::duration took) {
    if (!m_metrics) return;
    if (!result) {
        m_metrics->failed_batches.add();
        return;
    }
    m_metrics->commit_us.observe(std::chrono::duration_cast<std::chrono::microseconds>(took).count());
    m_metrics->batch_events.observe(static_cast<std::int64_t>(result->size()));
    const Timestamp now = m_clock();
    std::size_t i = 0;
    for (const auto& p : group) {
        for (const auto& event : p.events) {
            if ((*result)[i++] == Appended::inserted) {
                m_metrics->events_inserted.add();
                m_metrics->lag_s.observe(now - event.occurred_at);
            } else {
                m_metrics->events_duplicate.add();
            }
        }
    }
}

BatchWriter::Applied BatchWriter::apply_some(std::size_t limit) {
    use_sync(std::min(m_intake_sync, k_sync_normal));
    auto applied = m_applier.apply_next(limit, m_clock());
    if (!applied) {
        spdlog::warn("engine: applying stored events failed, will retry error={}", applied.error().message);
        return Applied::failed;
    }
    return applied->events > 0 ? Applied::some : Applied::none;
}

// How many stored events to apply now: none while requests wait or may be about to (unless the
// ledger has been starved), otherwise a short slice, so the next group is never held up for long.
std::size_t BatchWriter::apply_limit(std::chrono::steady_clock::time_point last_applied,
                                     std::chrono::steady_clock::time_point last_commit) const {
    const auto now = std::chrono::steady_clock::now();
    bool waiting = now - last_commit < k_intake_linger;
    if (!waiting) {
        std::lock_guard lock(m_mutex);
        waiting = !m_queue.empty();
    }
    if (waiting && now - last_applied < k_apply_starved_after) return 0;
    return std::min(k_apply_slice, m_options.apply_batch_max);
}

// Frees what the writer keeps for bursts. The heap this frees goes back to the system once the
// loop's thread has ended (supervise: the trim after it).
void BatchWriter::shed_when_idle() {
    m_applier.shed_kept();
    m_store->statements().clear();
    sqlite3_db_release_memory(m_db->getHandle());
    release_idle_wal_buffers();
    for (const auto& shed : m_idle_sheds) shed();
}

// A write that needs disk space and the write lock, so a full disk or a held lock shows here.
void BatchWriter::probe() {
    auto written = m_store->write_transaction([&]() -> Result<bool> {
        auto cursor = m_store->applied_cursor();
        if (!cursor) return cursor.error();
        return m_store->set_applied_cursor(*cursor, m_clock());
    });
    if (written) {
        spdlog::info("store: storage recovered, taking events again");
        m_healthy = true;
    }
}

std::deque<BatchWriter::Pending> BatchWriter::next_group(bool idle, std::chrono::steady_clock::time_point wake_at,
                                                         bool& stopping) {
    std::deque<Pending> group;
    std::unique_lock lock(m_mutex);
    if (idle) m_wake.wait_until(lock, wake_at, [&] { return m_stopping || !m_queue.empty(); });
    while (!m_queue.empty() && group.size() < m_options.intake_batch_max) {
        group.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
    }
    stopping = m_stopping && m_queue.empty();
    return group;
}

BatchWriter::Ended BatchWriter::run(bool after_shed) {
    using namespace std::chrono;
    const auto retry = milliseconds(m_options.storage_retry_ms);
    auto next_release_check = steady_clock::now();
    auto apply_at = steady_clock::now();  // also when the next probe of a failed store is due
    auto last_applied = steady_clock::now();
    auto last_commit = steady_clock::now() - k_intake_linger;
    auto last_work = steady_clock::now();  // the last commit or apply that did something
    bool shed = after_shed;                 // since last_work: a loop started by a shed is still in its idle spell
    bool more_to_apply = true;            // a restart applies whatever was stored and not yet applied
    for (;;) {
        const auto linger_until = last_commit + k_intake_linger;
        const bool apply_due = m_healthy && more_to_apply && steady_clock::now() >= std::max(apply_at, linger_until);
        const auto shed_at = last_work + milliseconds(m_options.idle_shed_after_ms);
        auto wake_at = next_release_check;
        // Only when a shed can happen: a past shed_at would otherwise spin the loop while the
        // store is failing or events wait.
        const bool shed_possible = !shed && m_healthy && !more_to_apply;
        if (shed_possible) wake_at = std::min(wake_at, shed_at);
        if (!m_healthy) wake_at = apply_at;  // the next probe: no release check runs meanwhile
        if (m_healthy && more_to_apply) wake_at = std::min(wake_at, std::max(apply_at, linger_until));
        bool stopping = false;
        auto group = next_group(!apply_due, wake_at, stopping);
        if (!group.empty()) {
            commit_group(group);
            last_commit = steady_clock::now();
            last_work = last_commit;
            shed = false;
            more_to_apply = true;
            if (!m_healthy) apply_at = steady_clock::now() + retry;
        }
        if (!m_healthy) {
            if (steady_clock::now() >= apply_at) {
                probe();
                apply_at = steady_clock::now() + retry;
            }
            if (stopping) return Ended::stopped;  // what is stored is applied after the restart
            continue;
        }
        const std::size_t limit = more_to_apply && steady_clock::now() >= apply_at ? apply_limit(last_applied, last_commit) : 0;
        if (limit > 0) {
            const Applied applied = apply_some(limit);
            last_applied = steady_clock::now();
            if (applied == Applied::some) {
                last_work = last_applied;
                shed = false;
            }
            more_to_apply = applied != Applied::none;
            if (applied == Applied::failed) {
                apply_at = steady_clock::now() + retry;
                if (stopping) return Ended::stopped;
            }
        }
        if (steady_clock::now() >= next_release_check) {
            use_sync(std::min(m_intake_sync, k_sync_normal));
            if (auto r = m_applier.release_due(m_options.apply_batch_max, m_clock()); !r) {
                spdlog::warn("engine: releasing due points failed error={}", r.error().message);
            }
            next_release_check = steady_clock::now() + milliseconds(m_options.release_check_interval_ms);
        }
        if (stopping && !more_to_apply) return Ended::stopped;
        if (!shed && !more_to_apply && steady_clock::now() >= shed_at) {
            shed_when_idle();
            return Ended::shed;
        }
    }
}

}  // namespace rewardd
