// What both platforms' order sweeps share (http/shopify_order_sweeper.*, http/woocommerce_order_sweeper.*):
// when they run, once at start-up, then every `interval`, or after `retry` when a sweep did not
// finish; which shops they visit; and each shop's mark, the start of its last complete sweep. A
// shop's orders are asked from its mark less `overlap` (from when the shop was added, before its
// first sweep), and the mark moves only once every page was read and stored, so a failed sweep is
// asked again whole. Each sweep runs on a thread of its own whose stack is unmapped at its end,
// then trimmed (threads/stack_thread.hpp), with a database connection of its own, closed after
// it: the pages it parsed leave nothing behind in an idle daemon.
#pragma once

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "core/result.hpp"
#include "core/timestamp.hpp"
#include "metrics/daemon_metrics.hpp"
#include "store/shop_registry.hpp"

namespace rewardd {

struct OrderSweepOptions {
    std::chrono::seconds interval{900};
    std::chrono::seconds overlap{300};  // orders are asked from this much before the last sweep began
    std::chrono::seconds retry{60};     // after a sweep that did not finish
    int page_tries_max = 3;             // a page answered 429/5xx is asked again after its Retry-After
};

struct SweepTally {
    std::size_t orders = 0;
    std::size_t new_events = 0;
    std::size_t refused = 0;  // orders the mapper refused, as it would their webhooks (400)
};

class OrderSweep {
public:
    using OpenDatabase = std::function<Result<std::shared_ptr<SQLite::Database>>()>;
    using Clock = std::function<Timestamp()>;
    using Sweepable = std::function<bool(const Shop&)>;
    // Reads and stores every page of the shop's orders changed since `since`; false (logged) when it
    // could not finish.
    using ReadAndStore = std::function<bool(const Shop&, Timestamp since, SweepTally&)>;

    // `platform` ("shopify", "woocommerce") names the shops' platform in the logs.
    OrderSweep(const char* platform, OrderSweepOptions options, OpenDatabase open, Clock clock, Sweepable sweepable,
               ReadAndStore read_and_store);
    ~OrderSweep();

    // Sweeps by outcome and the events they found go here (GET /metrics); call before start().
    void set_metrics(metrics::SweepMetrics* metrics) { m_metrics = metrics; }

    void start();
    void stop();
    bool stopping();
    bool wait(std::chrono::milliseconds delay);  // a sweep's pause (Retry-After, pacing); false when stopping
    // After try `tries` of a page was answered 429, 5xx or not at all: waits its Retry-After (a
    // second without one, at most ten) and says whether to ask again, which is not after
    // page_tries_max tries nor once the daemon stops.
    bool wait_to_ask_again(int tries, std::optional<std::int64_t> retry_after_ms);
    // One sweep of every shop; true when each was swept to the end.
    bool sweep_all();

private:
    bool sweep_shop(SQLite::Database& db, const Shop& shop);
    void run();

    const char* m_platform;
    OrderSweepOptions m_options;
    OpenDatabase m_open;
    Clock m_clock;
    Sweepable m_sweepable;
    ReadAndStore m_read_and_store;
    metrics::SweepMetrics* m_metrics = nullptr;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    std::thread m_thread;
};

}  // namespace rewardd
