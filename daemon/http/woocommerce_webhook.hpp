// POST /webhooks/woocommerce/{shop_id}: WooCommerce's native webhook deliveries. Answers the
// unsigned ping with exactly 200 (so saving the webhook in WooCommerce succeeds), checks
// X-WC-Webhook-Signature over the raw body in constant time (401), maps the order snapshot to
// neutral events (400 naming the field when malformed) and answers 200 only once they are stored.
#pragma once

#include <httplib.h>

#include <memory>
#include <mutex>

#include "adapters/woocommerce/webhook_mapper.hpp"
#include "http/shop_directory.hpp"
#include "ingest/batch_writer.hpp"

namespace rewardd {

// The shop's `status_map` setting (its own order statuses), or the defaults when unset or unreadable
// (logged). Shared with the order sweep (http/woocommerce_order_sweeper.hpp).
woocommerce::StatusMap woocommerce_status_map(const Shop& shop);

class WooCommerceWebhook {
public:
    // The route pattern to register (the shop id is its one capture).
    static const char* route_pattern();

    // `db` is a read connection of its own: an order.deleted body names only the order, which is
    // then looked up in the stored events; trashes and restores are paired with the stored ones.
    WooCommerceWebhook(ShopDirectory& shops, std::shared_ptr<SQLite::Database> db, BatchWriter& writer,
                       BatchWriter::Clock clock);

    void handle(const httplib::Request& req, httplib::Response& res);
    // Gives back the pages its connection cached between requests (made on whichever HTTP workers
    // served them, so they pinned pages of those workers' heaps once the workers ended). The
    // daemon calls it once the writer has gone idle.
    void release_idle_memory();

private:
    void store_events(const Shop& shop, const std::string& topic, std::vector<Event> events,
                      httplib::Response& res);
    Result<std::vector<Event>> stored_events(const std::string& shop_id, const std::string& order_id);
    // Adds the trash event of an order.deleted, or places an order.restored; false when the
    // answer has been sent.
    bool pair_trash_and_restore(const Shop& shop, woocommerce::DeliveryPlan& plan, httplib::Response& res);

    ShopDirectory& m_shops;
    std::shared_ptr<SQLite::Database> m_db;
    std::mutex m_db_mutex;  // the connection is opened without SQLite's own mutex
    std::mutex m_pairing_mutex;  // order.deleted / order.restored: read, number and commit as one
    BatchWriter& m_writer;
    BatchWriter::Clock m_clock;
};

}  // namespace rewardd
