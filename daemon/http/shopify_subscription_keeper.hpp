// Keeps every active Shopify shop subscribed to the topics rewardd needs: at start-up, then every
// `interval`, and sooner (`retry`) after a shop could not be reached, e.g. one saved by `shop add`
// while Shopify was down. Runs on its own thread; stop() wakes and joins it.
#pragma once

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/shopify/admin_api.hpp"

namespace rewardd {

class ShopifySubscriptionKeeper {
public:
    ShopifySubscriptionKeeper(std::shared_ptr<SQLite::Database> db, std::shared_ptr<shopify::AdminApi> api,
                              std::string public_url, std::chrono::milliseconds interval,
                              std::chrono::milliseconds retry);
    ~ShopifySubscriptionKeeper();

    void start();  // does nothing (with a warning) when public_url is empty
    void stop();
    // One pass over the shops; true when every shop is fully subscribed.
    bool check_all();

private:
    void run();

    std::shared_ptr<SQLite::Database> m_db;
    std::shared_ptr<shopify::AdminApi> m_api;
    std::string m_uri;
    std::chrono::milliseconds m_interval;
    std::chrono::milliseconds m_retry;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopping = false;
    std::thread m_thread;
};

}  // namespace rewardd
