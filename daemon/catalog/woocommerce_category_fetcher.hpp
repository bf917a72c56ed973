// Fetches the categories of the products orders wait for, from the shop's REST API
// (GET /wp-json/wc/v3/products/<id> -> categories[].slug, INTEGRATION.md W2), on its own thread.
// Failures retry with the outbox's backoff (Retry-After honoured); after the outbox's attempts_max
// the product is given up as "unavailable" so its orders earn without categories rather than never.
#pragma once

#include <SQLiteCpp/Database.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "outbox/retry_policy.hpp"
#include "outbox/woocommerce_rest.hpp"
#include "store/product_catalog.hpp"

namespace rewardd {

// categories[].slug of a product document; nullopt when the body is not a product.
std::optional<std::vector<std::string>> read_product_categories(const std::string& body);

class WooCommerceCategoryFetcher {
public:
    using Clock = std::function<Timestamp()>;

    WooCommerceCategoryFetcher(std::shared_ptr<SQLite::Database> db, WooCommerceRest rest, RetryPolicy retry,
                               std::chrono::milliseconds poll_interval, Clock clock);
    ~WooCommerceCategoryFetcher();

    void start();
    void stop();

    // Fetches what is due at `now`; returns how many products were tried.
    std::size_t run_once(Timestamp now);

private:
    void run();
    void fetch(const WantedProduct& product, Timestamp now);

    std::shared_ptr<SQLite::Database> m_db;
    ProductCatalog m_catalog;
    WooCommerceRest m_rest;
    RetryPolicy m_retry;
    std::chrono::milliseconds m_poll_interval;
    Clock m_clock;

    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    std::thread m_thread;
};

}  // namespace rewardd
