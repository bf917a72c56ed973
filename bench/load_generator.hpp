// A load generator for the benchmarks: signed requests sent from several keep-alive connections
// (one thread each), either as fast as answers come back or paced to a target rate, with the
// latency of every request (measured from its scheduled send time, so a slow server cannot hide
// its queueing).
#pragma once

#include <httplib.h>

#include <cstdint>
#include <string>
#include <vector>

namespace rewardd::bench {

struct Request {
    std::string path;
    httplib::Headers headers;
    std::string body;
};

struct LoadResult {
    std::size_t answered_2xx = 0;
    std::size_t failed = 0;
    double seconds = 0;
    std::vector<double> latencies_ms;

    double per_second() const { return seconds > 0 ? static_cast<double>(answered_2xx) / seconds : 0; }
    double percentile_ms(double p) const;  // p in [0, 100]
};

// rate_per_second 0: closed loop, each connection sends its next request when answered.
LoadResult run_load(int port, const std::vector<Request>& requests, int connections, double rate_per_second = 0);

}  // namespace rewardd::bench
