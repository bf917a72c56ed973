// What the daemon counts while it runs, grouped by the part that records it. serve owns one
// DaemonMetrics and hands each part its group; a part without one records nothing.
// Names and meanings are listed in docs/metrics.md.
#pragma once

#include "metrics/instruments.hpp"
#include "metrics/prometheus_text.hpp"

namespace rewardd::metrics {

struct HttpMetrics {
    CounterFamily requests{{"route", "status"}};  // route: the matched pattern, "other" if none
};

struct IngestMetrics {
    Histogram batch_events{{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096}};
    Histogram commit_us{{100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 1000000}};
    Histogram lag_s{{1, 5, 15, 60, 300, 900, 3600, 21600, 86400, 604800}};  // received - occurred_at
    Counter events_inserted;
    Counter events_duplicate;
    Counter failed_batches;
};

struct OutboxMetrics {
    CounterFamily attempts{{"platform", "outcome"}};  // outcome: delivered, retry, parked
};

// Sweeps of Shopify orders (http/shopify_order_sweeper.hpp). Events a sweep stored for the first
// time are ones no webhook brought: a count that grows says webhooks are being lost.
struct SweepMetrics {
    CounterFamily sweeps{{"outcome"}};  // outcome: complete, stopped
    Counter events_inserted;
};

struct DaemonMetrics {
    HttpMetrics http;
    IngestMetrics ingest;
    OutboxMetrics outbox;
    SweepMetrics sweep;              // Shopify's order sweeps
    SweepMetrics woocommerce_sweep;  // WooCommerce's

    void render(TextWriter& out) const;
};

}  // namespace rewardd::metrics
