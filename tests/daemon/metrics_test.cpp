// GET /metrics against the real daemon: the counters move with real requests (routes and
// statuses, events stored and repeated, batch sizes, commit latency, webhook lag, ledger entries
// by kind) and the answer is the Prometheus text format.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <ctime>

#include "daemon/metrics_support.hpp"

using namespace rewardd::test;
using nlohmann::json;

namespace {

const std::string k_secret = "metrics-secret-0123456789";

// RFC 3339 UTC for `seconds_ago` before now.
std::string utc_ago(int seconds_ago) {
    const std::time_t t = std::time(nullptr) - seconds_ago;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

std::string paid_event(const std::string& id, const std::string& order, const std::string& occurred_at) {
    return json{{"id", id}, {"type", "order.paid"}, {"occurred_at", occurred_at},
                {"order", {{"id", order}, {"currency", "NOK"},
                           {"customer", {{"id", "77"}, {"email", "kari@example.com"}}},
                           {"lines", {{{"id", "l1"}, {"product_id", "p1"}, {"quantity", 1}, {"total", 10000}}}},
                           {"discount", 0}, {"tax", 0}, {"shipping", 0}, {"total", 10000}}}}
        .dump();
}

int post_event(const DaemonProcess& d, const std::string& body, const std::string& secret = k_secret) {
    httplib::Headers h{{"X-Rewardd-Shop", "demo"}, {"X-Rewardd-Signature", sign(secret, body)}};
    auto res = d.client().Post("/api/v1/events", h, body, "application/json");
    return res ? res->status : -1;
}

}  // namespace

TEST_CASE("GET /metrics counts requests, stored events, batches, lag and ledger entries by kind") {
    TempDir dir;
    const auto added = run_rewardd({"shop", "add", "demo", "--platform", "custom", "--secret", k_secret, "--data", dir.str()});
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    DaemonProcess daemon(dir.str());

    const auto first = paid_event("e1", "1001", utc_ago(120));
    CHECK(post_event(daemon, first) == 200);
    CHECK(post_event(daemon, paid_event("e2", "1002", utc_ago(120))) == 200);
    CHECK(post_event(daemon, first) == 200);  // a repeat
    CHECK(post_event(daemon, paid_event("e3", "1003", utc_ago(0)), "wrong-secret") == 401);
    auto missing = daemon.client().Get("/no/such/route");
    REQUIRE(missing);
    CHECK(missing->status == 404);

    auto res = daemon.client().Get("/metrics");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
    CHECK(res->body.find("# TYPE rewardd_http_requests_total counter") != std::string::npos);
    CHECK(res->body.find("# TYPE rewardd_ingest_commit_seconds histogram") != std::string::npos);

    const auto s = scrape_until(daemon, R"(rewardd_ledger_entries_total{kind="earn_pending"})", "2");
    CHECK(sample(s, R"(rewardd_ledger_entries_total{kind="earn_pending"})") == "2");
    CHECK(sample(s, R"(rewardd_http_requests_total{route="/api/v1/events",status="200"})") == "3");
    CHECK(sample(s, R"(rewardd_http_requests_total{route="/api/v1/events",status="401"})") == "1");
    CHECK(sample(s, R"(rewardd_http_requests_total{route="other",status="404"})") == "1");
    CHECK(sample(s, R"(rewardd_http_requests_total{route="/metrics",status="200"})") != "");
    CHECK(sample(s, "rewardd_ingest_events_inserted_total") == "2");
    CHECK(sample(s, "rewardd_ingest_events_duplicate_total") == "1");
    CHECK(sample(s, "rewardd_ingest_failed_batches_total") == "0");
    // Three accepted requests, each in some group commit: the batch sizes add up to 3.
    CHECK(sample(s, "rewardd_ingest_batch_events_sum") == "3");
    CHECK(sample(s, R"(rewardd_ingest_batch_events_bucket{le="+Inf"})") == sample(s, "rewardd_ingest_batch_events_count"));
    CHECK(sample(s, "rewardd_ingest_commit_seconds_count") == sample(s, "rewardd_ingest_batch_events_count"));
    // Both new events happened two minutes before they arrived: over 60 s, within 300 s.
    CHECK(sample(s, "rewardd_webhook_lag_seconds_count") == "2");
    CHECK(sample(s, R"(rewardd_webhook_lag_seconds_bucket{le="60"})") == "0");
    CHECK(sample(s, R"(rewardd_webhook_lag_seconds_bucket{le="300"})") == "2");
    CHECK(sample(s, "rewardd_store_scrape_error") == "0");
}

TEST_CASE("route patterns with parameters are counted under one label") {
    TempDir dir;
    DaemonProcess daemon(dir.str());
    for (const char* shop : {"a", "b", "c"}) {
        auto res = daemon.client().Post(std::string("/webhooks/woocommerce/") + shop, "{}", "application/json");
        REQUIRE(res);
        CHECK(res->status == 401);  // no such shop
    }
    const auto s = scrape(daemon);
    CHECK(sample(s, R"(rewardd_http_requests_total{route="/webhooks/woocommerce/{}",status="401"})") == "3");
}
