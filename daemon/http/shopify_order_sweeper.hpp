// Finds the Shopify orders whose webhooks never came. Shopify gives up on a delivery after 8 tries
// in 4 hours and deletes a subscription whose deliveries keep failing (INTEGRATION.md S2.3), so a
// daemon down longer than that, or the hours until the subscription keeper re-creates a deleted
// subscription, would lose orders for good. At start-up and every `interval`, for each installed
// Shopify shop, the sweeper lists the orders updated since its last complete sweep less `overlap`
// (since the shop was added, before its first) and stores each as an orders/updated snapshot,
// through the writer exactly as a webhook's: what rewardd already knew is a duplicate, what it
// missed lands. The mark moves only once every page was read and stored, so a failed sweep is
// asked again whole. Runs on its own thread with a database connection of its own per sweep.
#pragma once

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/shopify/admin_api.hpp"
#include "adapters/shopify/order_listing.hpp"
#include "ingest/batch_writer.hpp"
#include "metrics/daemon_metrics.hpp"

namespace rewardd {

struct OrderSweepOptions {
    std::chrono::seconds interval{900};
    std::chrono::seconds overlap{300};  // orders are asked from this much before the last sweep began
    std::chrono::seconds retry{60};     // after a sweep that did not finish
    int page_tries_max = 3;             // a page answered 429/5xx is asked again after its Retry-After
};

class ShopifyOrderSweeper {
public:
    using OpenDatabase = std::function<Result<std::shared_ptr<SQLite::Database>>()>;

    ShopifyOrderSweeper(OpenDatabase open, std::shared_ptr<shopify::AdminApi> api, BatchWriter& writer,
                        BatchWriter::Clock clock, OrderSweepOptions options);
    ~ShopifyOrderSweeper();

    // Sweeps and the events they found go here (GET /metrics); call before start().
    void set_metrics(metrics::SweepMetrics* metrics) { m_metrics = metrics; }

    void start();
    void stop();
    // One sweep of every shop; true when each was swept to the end.
    bool sweep_all();

private:
    struct Tally {
        std::size_t orders = 0;
        std::size_t new_events = 0;
        std::size_t refused = 0;  // orders the mapper refused, as it would their webhooks
    };
    bool sweep_shop(SQLite::Database& db, const Shop& shop);
    shopify::CallOutcome read_page(const Shop& shop, const std::string& url, shopify::OrderPage& page);
    bool store_page(const Shop& shop, const shopify::OrderPage& page, Tally& tally);
    bool wait(std::chrono::milliseconds delay);  // false when stopping
    bool stopping();
    bool sweep_on_own_thread();
    void run();

    OpenDatabase m_open;
    std::shared_ptr<shopify::AdminApi> m_api;
    BatchWriter& m_writer;
    BatchWriter::Clock m_clock;
    OrderSweepOptions m_options;
    shopify::OrderLister m_lister;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    metrics::SweepMetrics* m_metrics = nullptr;
    std::thread m_thread;
};

}  // namespace rewardd
