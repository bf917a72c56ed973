// Writes each marked customer's balance and tier to their Shopify metafields (namespace `rewardd`)
// through the shared throttled Admin API client. Rows come from the durable queue the ledger side
// marks (store/shopify_metafield_queue.hpp): one write per customer once their changes have been
// quiet for `quiet`, or `max_delay` after the first one, always with the values current at the
// write. Failures are retried with backoff; runs on its own thread, stop() wakes and joins it.
#pragma once

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "adapters/shopify/admin_api.hpp"
#include "store/shopify_metafield_queue.hpp"

namespace rewardd {

struct MetafieldWriterOptions {
    std::int64_t quiet_ms = 2000;
    std::int64_t max_delay_ms = 60000;
    std::int64_t poll_ms = 250;
    std::int64_t retry_base_ms = 1000;   // doubled per failed attempt ...
    std::int64_t retry_max_ms = 300000;  // ... up to this (a longer Retry-After wins)
};

class ShopifyMetafieldWriter {
public:
    using MsClock = std::function<std::int64_t()>;
    ShopifyMetafieldWriter(std::shared_ptr<SQLite::Database> db, std::shared_ptr<shopify::AdminApi> api,
                           MetafieldWriterOptions options, MsClock clock);
    ~ShopifyMetafieldWriter();

    void start();
    void stop();
    // One pass over the due rows; how many customers were written.
    std::size_t write_due();

private:
    enum class Step { written, dropped, failed };
    Step write_one(const MetafieldMark& mark);
    void run();

    std::shared_ptr<SQLite::Database> m_db;
    std::shared_ptr<shopify::AdminApi> m_api;
    MetafieldWriterOptions m_options;
    MsClock m_clock;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    std::thread m_thread;
};

}  // namespace rewardd
