// Finds the WooCommerce orders whose webhooks never came. WooCommerce sends each delivery once, drops
// it when it fails, and disables the webhook after seven failures in a row (INTEGRATION.md W1.4),
// so every order changed while rewardd was down, or while the webhook stayed disabled, would be
// lost for good. For each WooCommerce shop with REST credentials the sweeper lists the orders
// modified since its mark (http/order_sweep.hpp: when, which mark), most recently modified first,
// and stores what each order shows through the writer exactly as an order.updated delivery would:
// what rewardd already knew is a duplicate, what it missed lands.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "http/order_sweep.hpp"
#include "ingest/batch_writer.hpp"
#include "outbox/woocommerce_rest.hpp"

namespace rewardd {

class WooCommerceOrderSweeper {
public:
    WooCommerceOrderSweeper(OrderSweep::OpenDatabase open, WooCommerceRest rest, BatchWriter& writer,
                            BatchWriter::Clock clock, OrderSweepOptions options);
    // Sweeps and the events they found go here (GET /metrics); call before start().
    void set_metrics(metrics::SweepMetrics* metrics) { m_sweep.set_metrics(metrics); }

    void start() { m_sweep.start(); }
    void stop() { m_sweep.stop(); }
    // One sweep of every shop; true when each was swept to the end.
    bool sweep_all() { return m_sweep.sweep_all(); }

private:
    struct Page {
        std::vector<nlohmann::json> orders;  // those modified since the sweep's `since`
        bool last = false;                   // no page after this one holds any
    };
    bool read_and_store(const Shop& shop, Timestamp since, SweepTally& tally);
    bool read_page(const Shop& shop, const WooCommerceSite& site, Timestamp since, int number, Page& page);
    bool store_page(const Shop& shop, const Page& page, SweepTally& tally);

    WooCommerceRest m_rest;
    BatchWriter& m_writer;
    BatchWriter::Clock m_clock;
    OrderSweep m_sweep;  // last: its thread stops before the members it uses go
};

}  // namespace rewardd
