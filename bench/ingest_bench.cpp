// Ingest benchmark: distinct signed Shopify orders/paid webhooks from concurrent keep-alive
// connections into three servers, one after the other on the same machine, printed side by side:
//   naive    rewardd committing and fsyncing each request on its own (intake_batch_events_max = 1)
//   rewardd  rewardd as configured by default (group commit)
//   ceiling  the same HTTP stack, HMAC check and payload mapping, answering without storing
// then rewardd paced at a fixed rate for its latency, and its resident memory idle and under load.
// The three are taken in turn for several rounds (--rounds, default 3), and the ratios are the
// medians of each round's own: on a VM whose fsync speed drifts by the minute, a mode measured
// alone in a fast or a slow minute would otherwise decide the ratio.
// Usage: ingest_bench [--requests N] [--connections C] [--rate R] [--threads T] [--rounds K] [--only MODE]
// (--only naive|rewardd|ceiling|paced runs that one alone, e.g. to profile it)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "bench/ceiling_server.hpp"
#include "bench/load_generator.hpp"
#include "bench/process_stats.hpp"
#include "daemon/metrics_support.hpp"
#include "faults/shopify_history.hpp"
#include "support/daemon_process.hpp"

using namespace rewardd;
using namespace rewardd::bench;
using rewardd::test::DaemonProcess;
using rewardd::test::TempDir;

namespace {

const std::string k_domain = "bench.myshopify.com";
const std::string k_secret = "bench-shopify-client-secret";

struct Options {
    std::size_t requests = 40000;
    int connections = 8;
    int threads = 8;
    double rate = 5000;
    int rounds = 3;
    std::string only;  // empty: every mode
};

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const std::string value = argv[i + 1];
        if (key == "--requests") o.requests = std::stoul(value);
        else if (key == "--connections") o.connections = std::stoi(value);
        else if (key == "--threads") o.threads = std::stoi(value);
        else if (key == "--rate") o.rate = std::stod(value);
        else if (key == "--rounds") o.rounds = std::max(1, std::stoi(value));
        else if (key == "--only") o.only = value;
        else throw std::runtime_error("unknown option " + key);
    }
    return o;
}

// N distinct paid orders as signed deliveries (order ids from `first_id`).
std::vector<Request> paid_orders(std::size_t n, std::int64_t first_id) {
    const auto paid = nlohmann::json::parse(test::read_file(std::string(REWARDD_FIXTURES_DIR) + "/shopify/orders-paid.json"));
    std::vector<Request> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto id = first_id + static_cast<std::int64_t>(i);
        std::string body = test::shopify::order_body(paid, id, static_cast<int>(i % 5000)).dump();
        httplib::Headers h{{"X-Shopify-Shop-Domain", k_domain}, {"X-Shopify-Topic", "orders/paid"},
                           {"X-Shopify-Hmac-Sha256", test::sign(k_secret, body)},
                           {"X-Shopify-Webhook-Id", "bench-" + std::to_string(id)},
                           {"X-Shopify-API-Version", "2026-07"}};
        out.push_back({"/webhooks/shopify", std::move(h), std::move(body)});
    }
    return out;
}

// A data folder with the shop registered and a config: `extra` lines appended.
std::string prepare(const TempDir& dir, const Options& o, const std::string& extra) {
    // The Admin API on a loopback port nothing listens on: the daemon's token and subscription
    // calls fail at once and locally instead of reaching for the real domain.
    const auto r = test::run_rewardd({"shop", "add", "s1", "--platform", "shopify", "--secret", "legacy-bench-secret",
                                      "--domain", k_domain, "--client-id", "bench-client", "--client-secret", k_secret,
                                      "--api-base", "http://127.0.0.1:1", "--data", dir.str()});
    if (r.exit_code != 0) throw std::runtime_error("shop add failed: " + r.err);
    const std::string config = dir.str() + "/rewardd.toml";
    std::ofstream(config) << "access_log_level = \"off\"\nhttp_threads = " << o.threads << "\n" << extra;
    return config;
}

struct Row {
    std::string name;
    LoadResult load;
    double server_cpu_seconds = 0;  // the server process's CPU (all threads) during the load
};

void print_header() {
    std::printf("%-9s %10s %9s %9s %9s %7s %11s\n", "mode", "req/s", "p50 ms", "p99 ms", "2xx", "failed", "server µs/r");
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// The round whose throughput is the middle one, with its own latencies and CPU.
Row median_row(std::vector<Row> rows) {
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.load.per_second() < b.load.per_second(); });
    return rows[rows.size() / 2];
}

void print_row(const Row& row) {
    const double requests = static_cast<double>(row.load.answered_2xx + row.load.failed);
    std::printf("%-9s %10.0f %9.2f %9.2f %9zu %7zu %11.0f\n", row.name.c_str(), row.load.per_second(),
                row.load.percentile_ms(50), row.load.percentile_ms(99), row.load.answered_2xx, row.load.failed,
                requests > 0 ? row.server_cpu_seconds * 1e6 / requests : 0.0);
}

// The single writer's share of the load, from the daemon's own metrics: how many group commits,
// how full, how long each took (fsync included) and how much of the load's wall time they filled.
// A writer busy nearly all the time says the commits, not the request threads, set the pace.
void print_writer(const std::string& name, const DaemonProcess& daemon, double load_seconds) {
    const test::Samples s = test::scrape(daemon);
    const auto value = [&](const std::string& key) {
        const std::string v = test::sample(s, key);
        return v.empty() ? 0.0 : std::stod(v);
    };
    const double groups = value("rewardd_ingest_batch_events_count");
    const double events = value("rewardd_ingest_batch_events_sum");
    const double commit_s = value("rewardd_ingest_commit_seconds_sum");
    if (groups <= 0 || load_seconds <= 0) return;
    std::fprintf(stderr, "%s: writer %.0f group commits, %.1f events each, %.2f ms per commit, busy %.0f %% of the load\n",
                 name.c_str(), groups, events / groups, commit_s * 1000 / groups, 100 * commit_s / load_seconds);
}

Row run_rewardd(const std::string& name, const Options& o, const std::string& extra, std::int64_t first_id,
                double rate = 0, std::size_t count = 0) {
    TempDir dir;
    DaemonProcess daemon(dir.str(), {"--config", prepare(dir, o, extra)});
    const auto requests = paid_orders(count ? count : o.requests, first_id);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const long idle_kib = proc_status_kib(daemon.pid(), "VmRSS");
    const double cpu_before = proc_cpu_seconds(daemon.pid());
    Row row{name, run_load(daemon.port(), requests, o.connections, rate)};
    row.server_cpu_seconds = proc_cpu_seconds(daemon.pid()) - cpu_before;
    print_writer(name, daemon, row.load.seconds);
    const long peak_kib = proc_status_kib(daemon.pid(), "VmHWM");
    std::fprintf(stderr, "%s: RSS idle %.1f MiB, peak under load %.1f MiB\n", name.c_str(), mib(idle_kib), mib(peak_kib));
    daemon.stop_gracefully();
    return row;
}

Row run_ceiling(const Options& o, std::int64_t first_id) {
    const int port = test::free_port();
    const pid_t pid = fork();
    if (pid == 0) {
        serve_ceiling(port, o.threads, k_domain, k_secret);
        _exit(0);
    }
    httplib::Client probe("127.0.0.1", port);
    for (int i = 0; i < 500 && !probe.Get("/healthz"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const auto requests = paid_orders(o.requests, first_id);
    const double cpu_before = proc_cpu_seconds(pid);
    Row row{"ceiling", run_load(port, requests, o.connections)};
    row.server_cpu_seconds = proc_cpu_seconds(pid) - cpu_before;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return row;
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // nothing buffered when the servers are forked
    const Options o = parse_options(argc, argv);
    std::printf("ingest: %zu distinct orders/paid webhooks, %d keep-alive connections, %d server threads\n",
                o.requests, o.connections, o.threads);
    const auto paced_count = static_cast<std::size_t>(o.rate * 4);
    if (!o.only.empty()) {  // one mode alone, e.g. under a profiler
        print_header();
        if (o.only == "naive") print_row(run_rewardd("naive", o, "intake_batch_events_max = 1\n", 1000000));
        else if (o.only == "rewardd") print_row(run_rewardd("rewardd", o, "", 1000000));
        else if (o.only == "ceiling") print_row(run_ceiling(o, 1000000));
        else if (o.only == "paced") print_row(run_rewardd("paced", o, "", 1000000, o.rate, paced_count));
        else throw std::runtime_error("unknown mode " + o.only);
        return 0;
    }
    std::vector<std::vector<Row>> by_mode(3);  // naive, rewardd, ceiling: one row per round
    std::vector<double> over_naive, over_ceiling;
    for (int round = 1; round <= o.rounds; ++round) {
        const std::vector<Row> rows{run_rewardd("naive", o, "intake_batch_events_max = 1\n", 1000000),
                                    run_rewardd("rewardd", o, "", 1000000), run_ceiling(o, 1000000)};
        std::printf("round %d of %d:\n", round, o.rounds);
        print_header();
        for (std::size_t m = 0; m < rows.size(); ++m) {
            print_row(rows[m]);
            by_mode[m].push_back(rows[m]);
        }
        over_naive.push_back(rows[1].load.per_second() / rows[0].load.per_second());
        over_ceiling.push_back(rows[1].load.per_second() / rows[2].load.per_second());
        std::printf("rewardd / naive = %.2fx, rewardd / ceiling = %.2fx\n\n", over_naive.back(), over_ceiling.back());
    }
    std::printf("median of %d rounds (each mode's middle round by req/s; ratios: the middle of the rounds' own):\n",
                o.rounds);
    print_header();
    for (auto& rows : by_mode) print_row(median_row(rows));
    std::printf("rewardd / naive = %.2fx, rewardd / ceiling = %.2fx\n", median(over_naive), median(over_ceiling));
    std::printf("\nrewardd paced at %.0f/s (%zu requests, latency from the scheduled send time):\n", o.rate, paced_count);
    print_header();
    print_row(run_rewardd("paced", o, "", 1000000, o.rate, paced_count));
    return 0;
}
