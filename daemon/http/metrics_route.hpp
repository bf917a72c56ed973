// GET /metrics: the daemon's counters and histograms, then the figures read from the database
// (outbox, ledger entries by kind), in the Prometheus text format (docs/metrics.md).
#pragma once

#include <functional>

#include "http/http_server.hpp"
#include "metrics/daemon_metrics.hpp"
#include "metrics/store_gauges.hpp"

namespace rewardd {

void install_metrics_route(HttpServer& server, const metrics::DaemonMetrics& daemon, metrics::StoreGauges& store,
                           std::function<std::int64_t()> now_s);

}  // namespace rewardd
