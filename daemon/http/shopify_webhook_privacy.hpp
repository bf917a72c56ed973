// Carries out queued Shopify privacy requests after their webhook was answered: customers/redact
// (erase the customer's personal data, ledger totals unchanged), customers/data_request (a JSON
// export in <data>/exports, its path logged) and shop/redact (the shop's customers and credentials).
#pragma once

#include <SQLiteCpp/Database.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/timestamp.hpp"
#include "store/privacy_store.hpp"

namespace rewardd {

class ShopifyPrivacyWorker {
public:
    ShopifyPrivacyWorker(std::shared_ptr<SQLite::Database> db, std::string data_dir, std::function<Timestamp()> clock);
    ~ShopifyPrivacyWorker();

    void start();  // also picks up requests left pending by a previous run
    void stop();
    void notify();
    std::size_t run_pending();  // carries out what is queued now; returns how many

private:
    void run();
    Result<std::string> carry_out(const PrivacyRequest& request);
    Result<std::string> export_data(const PrivacyRequest& request);
    Result<std::string> redact_shop(const PrivacyRequest& request);

    std::shared_ptr<SQLite::Database> m_db;
    std::string m_data_dir;
    std::function<Timestamp()> m_clock;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_signalled = false;
    bool m_stopping = false;
    std::thread m_thread;
};

}  // namespace rewardd
