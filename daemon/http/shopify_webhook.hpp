// POST /webhooks/shopify: finds the shop by X-Shopify-Shop-Domain (401 if unknown), checks
// X-Shopify-Hmac-Sha256 over the raw body in constant time (401), drops repeated deliveries by
// webhook/event id, maps the payload to neutral events and answers 2xx once they are committed.
// Privacy requests are stored durably and carried out after the response by ShopifyPrivacyWorker.
#pragma once

#include <httplib.h>

#include <functional>
#include <memory>
#include <mutex>

#include "http/shopify_webhook_shops.hpp"
#include "ingest/batch_writer.hpp"

namespace rewardd {

class ShopifyWebhook {
public:
    // `db` is a connection of its own (delivery log, privacy queue, uninstall flags);
    // `privacy_ready` wakes the privacy worker.
    ShopifyWebhook(std::shared_ptr<SQLite::Database> db, BatchWriter& writer, BatchWriter::Clock clock,
                   std::function<void()> privacy_ready);

    void handle(const httplib::Request& req, httplib::Response& res);
    // Gives back what its connection keeps between requests (cached pages and compiled statements,
    // made on whichever HTTP workers served the requests, so they pinned pages of those workers'
    // heaps once the workers ended). The daemon calls it once the writer has gone idle.
    void release_idle_memory();

private:
    struct Delivery;
    void store_events(const Delivery& d, std::vector<Event> events, httplib::Response& res);
    void enqueue_privacy(const Delivery& d, const std::string& body, httplib::Response& res);
    void uninstall(const Delivery& d, httplib::Response& res);
    bool record(const Delivery& d);

    std::shared_ptr<SQLite::Database> m_db;
    std::mutex m_db_mutex;  // the connection is opened without SQLite's own mutex
    StatementCache m_statements{*m_db};  // the duplicate check runs on every delivery; under m_db_mutex
    ShopifyShopIndex m_shops;
    BatchWriter& m_writer;
    BatchWriter::Clock m_clock;
    std::function<void()> m_privacy_ready;
};

}  // namespace rewardd
