// The Prometheus text writer and the instruments, without a daemon.
#include <doctest/doctest.h>

#include "metrics/daemon_metrics.hpp"

using namespace rewardd::metrics;

TEST_CASE("scaled integers are written as exact decimals") {
    CHECK(format_scaled(1234, 1000000) == "0.001234");
    CHECK(format_scaled(2500000, 1000000) == "2.5");
    CHECK(format_scaled(3000000, 1000000) == "3");
    CHECK(format_scaled(-1500, 1000) == "-1.5");
    CHECK(format_scaled(42, 1) == "42");
}

TEST_CASE("a histogram exposes cumulative buckets, sum and count") {
    Histogram h({10, 100});
    for (const std::int64_t v : {5, 10, 11, 1000}) h.observe(v);
    TextWriter out;
    out.histogram("t_seconds", "test", h, 1000);
    CHECK(out.text() ==
          "# HELP t_seconds test\n# TYPE t_seconds histogram\n"
          "t_seconds_bucket{le=\"0.01\"} 2\nt_seconds_bucket{le=\"0.1\"} 3\nt_seconds_bucket{le=\"+Inf\"} 4\n"
          "t_seconds_sum 1.026\nt_seconds_count 4\n");
}

TEST_CASE("labelled counters are written per label set with escaped values") {
    CounterFamily f({"route", "status"});
    f.add({"/a", "200"});
    f.add({"/a", "200"}, 2);
    f.add({"/b\"x", "404"});
    TextWriter out;
    out.counter_family("t_total", "test", f);
    CHECK(out.text() ==
          "# HELP t_total test\n# TYPE t_total counter\n"
          "t_total{route=\"/a\",status=\"200\"} 3\nt_total{route=\"/b\\\"x\",status=\"404\"} 1\n");
}
