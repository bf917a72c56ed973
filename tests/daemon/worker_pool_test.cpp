// The HTTP workers (http/worker_pool.hpp): started as jobs come, never more than the maximum,
// ended when idle, and drained at shutdown.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "http/worker_pool.hpp"
#include "net/outgoing_http_support.hpp"

using namespace std::chrono_literals;
using rewardd::WorkerPool;
using rewardd::test::eventually;

namespace {

// Jobs that hold their worker until the gate opens.
class Gate {
public:
    void wait() {
        std::unique_lock lock(m_mutex);
        ++m_waiting;
        m_cond.notify_all();
        m_cond.wait(lock, [&] { return m_open; });
    }
    int waiting() {
        std::lock_guard lock(m_mutex);
        return m_waiting;
    }
    void open() {
        {
            std::lock_guard lock(m_mutex);
            m_open = true;
        }
        m_cond.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cond;
    int m_waiting = 0;
    bool m_open = false;
};

}  // namespace

TEST_CASE("the worker pool starts workers as jobs come and never more than its maximum") {
    WorkerPool pool(3, 10s);
    CHECK(pool.live_threads() == 0);
    Gate gate;
    std::atomic<int> done{0};
    for (int i = 0; i < 5; ++i) pool.enqueue([&] { gate.wait(), ++done; });
    REQUIRE(eventually([&] { return gate.waiting() == 3; }));
    std::this_thread::sleep_for(100ms);  // a fourth worker, if one were started, would wait by now
    CHECK(gate.waiting() == 3);
    CHECK(pool.live_threads() == 3);
    gate.open();
    REQUIRE(eventually([&] { return done == 5; }));
    CHECK(pool.live_threads() == 3);  // the queued two ran on workers that came free
}

TEST_CASE("a worker idle past its exit delay ends, and the next job starts one again") {
    WorkerPool pool(4, 150ms);
    std::atomic<int> done{0};
    pool.enqueue([&] { ++done; });
    REQUIRE(eventually([&] { return done == 1; }));
    CHECK(pool.live_threads() == 1);
    REQUIRE(eventually([&] { return pool.live_threads() == 0; }));
    std::thread::id ran_on;
    pool.enqueue([&] { ran_on = std::this_thread::get_id(), ++done; });
    REQUIRE(eventually([&] { return done == 2; }));
    CHECK(ran_on != std::thread::id{});
    CHECK(pool.live_threads() == 1);
}

// Each worker has a stack of its own, unmapped when it is joined; glibc would keep the stacks of
// ended threads, partly resident, for reuse. The workers of a burst end together, each joining
// those that ended before it, so an idle pool keeps at most one ended worker unjoined.
TEST_CASE("workers that end are joined by the next to end, so an idle pool keeps at most one unjoined") {
    WorkerPool pool(4, 150ms);
    Gate gate;
    std::atomic<int> done{0};
    for (int i = 0; i < 4; ++i) pool.enqueue([&] { gate.wait(), ++done; });
    REQUIRE(eventually([&] { return gate.waiting() == 4; }));
    gate.open();
    REQUIRE(eventually([&] { return done == 4 && pool.live_threads() == 0; }));
    CHECK(pool.unjoined_threads() == 1);
    pool.enqueue([&] { ++done; });  // the next job's enqueue joins the last one
    CHECK(pool.unjoined_threads() == 0);  // (checked before the new worker can idle out in turn)
    REQUIRE(eventually([&] { return done == 5; }));
}

TEST_CASE("a job arriving while a worker is idle runs on it rather than on a new one") {
    WorkerPool pool(4, 10s);
    std::atomic<int> done{0};
    for (int i = 0; i < 20; ++i) {
        pool.enqueue([&] { ++done; });
        REQUIRE(eventually([&] { return done == i + 1 && pool.idle_threads() == 1; }));
    }
    CHECK(pool.live_threads() == 1);
}

TEST_CASE("worker pool shutdown runs what is queued, then joins every worker") {
    auto pool = std::make_unique<WorkerPool>(1, 10s);
    Gate gate;
    std::atomic<int> done{0};
    pool->enqueue([&] { gate.wait(), ++done; });
    for (int i = 0; i < 3; ++i) pool->enqueue([&] { ++done; });
    REQUIRE(eventually([&] { return gate.waiting() == 1; }));
    std::thread stopper([&] { pool->shutdown(); });
    std::this_thread::sleep_for(50ms);
    gate.open();
    stopper.join();
    CHECK(done == 4);
    CHECK(pool->live_threads() == 0);
    pool->enqueue([&] { ++done; });  // after shutdown: dropped, never run
    pool.reset();
    CHECK(done == 4);
}
