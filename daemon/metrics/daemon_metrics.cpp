#include "daemon_metrics.hpp"

namespace rewardd::metrics {

void DaemonMetrics::render(TextWriter& out) const {
    out.counter_family("rewardd_http_requests_total", "HTTP requests answered, by route pattern and status.",
                       http.requests);
    out.histogram("rewardd_webhook_lag_seconds",
                  "Time from an event's business time (occurred_at) to its durable storage, for new events.",
                  ingest.lag_s);
    out.histogram("rewardd_ingest_batch_events", "Events per group commit.", ingest.batch_events);
    out.histogram("rewardd_ingest_commit_seconds", "Duration of one group commit, fsync included.",
                  ingest.commit_us, 1000000);
    out.counter("rewardd_ingest_events_inserted_total", "Events stored for the first time.", ingest.events_inserted);
    out.counter("rewardd_ingest_events_duplicate_total", "Events already stored (repeated deliveries).",
                ingest.events_duplicate);
    out.counter("rewardd_ingest_failed_batches_total", "Group commits that failed (storage errors, answered 503).",
                ingest.failed_batches);
    out.counter_family("rewardd_outbox_attempts_total", "Reward delivery attempts, by platform and outcome.",
                       outbox.attempts);
    out.counter_family("rewardd_shopify_order_sweeps_total",
                       "Sweeps of a Shopify shop's recently updated orders, by outcome (complete, stopped).",
                       sweep.sweeps);
    out.counter("rewardd_shopify_swept_events_total",
                "Events a sweep of Shopify orders stored that no webhook had brought.", sweep.events_inserted);
    out.counter_family("rewardd_woocommerce_order_sweeps_total",
                       "Sweeps of a WooCommerce shop's recently modified orders, by outcome (complete, stopped).",
                       woocommerce_sweep.sweeps);
    out.counter("rewardd_woocommerce_swept_events_total",
                "Events a sweep of WooCommerce orders stored that no webhook had brought.",
                woocommerce_sweep.events_inserted);
}

}  // namespace rewardd::metrics
