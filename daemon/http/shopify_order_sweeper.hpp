// Finds the Shopify orders whose webhooks never came. Shopify gives up on a delivery after 8 tries
// in 4 hours and deletes a subscription whose deliveries keep failing (INTEGRATION.md S2.3), so a
// daemon down longer than that, or the hours until the subscription keeper re-creates a deleted
// subscription, would lose orders for good. For each installed Shopify shop the sweeper lists the
// orders updated since its mark (http/order_sweep.hpp: when, which mark) and stores each as an
// orders/updated snapshot, through the writer exactly as a webhook's: what rewardd already knew is
// a duplicate, what it missed lands.
#pragma once

#include <memory>
#include <string>

#include "adapters/shopify/admin_api.hpp"
#include "adapters/shopify/order_listing.hpp"
#include "http/order_sweep.hpp"
#include "ingest/batch_writer.hpp"

namespace rewardd {

class ShopifyOrderSweeper {
public:
    ShopifyOrderSweeper(OrderSweep::OpenDatabase open, std::shared_ptr<shopify::AdminApi> api, BatchWriter& writer,
                        BatchWriter::Clock clock, OrderSweepOptions options);
    // Sweeps and the events they found go here (GET /metrics); call before start().
    void set_metrics(metrics::SweepMetrics* metrics) { m_sweep.set_metrics(metrics); }

    void start() { m_sweep.start(); }
    void stop() { m_sweep.stop(); }
    // One sweep of every shop; true when each was swept to the end.
    bool sweep_all() { return m_sweep.sweep_all(); }

private:
    bool read_and_store(const Shop& shop, Timestamp since, SweepTally& tally);
    shopify::CallOutcome read_page(const Shop& shop, const std::string& url, shopify::OrderPage& page);
    bool store_page(const Shop& shop, const shopify::OrderPage& page, SweepTally& tally);

    std::shared_ptr<shopify::AdminApi> m_api;
    BatchWriter& m_writer;
    BatchWriter::Clock m_clock;
    shopify::OrderLister m_lister;
    OrderSweep m_sweep;  // last: its thread stops before the members it uses go
};

}  // namespace rewardd
