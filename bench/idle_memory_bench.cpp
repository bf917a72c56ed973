// Idle memory benchmark: resident memory of `rewardd serve` idle with a fresh data folder, and of
// one that has delivered a reward to a (fake, local) WooCommerce shop and then sat idle past its
// outgoing-HTTP helper's exit delay (net/http_relay.hpp), the state a working shop spends its
// quiet hours in. With --orders N the second daemon first takes N signed WooCommerce order.updated
// webhooks (completed orders of 50 customers in turn, or --customers C; 8 connections), so its idle
// state includes the intake's and the engine's pages too; with --shopify-orders N it also takes N
// signed Shopify orders/paid webhooks (of as many customers, for a Shopify shop whose Admin API is a
// loopback port nothing listens on, so its sweeps and metafield writes fail at once and locally).
// VmRSS is read as startup_bench reads it: one second after the first 200 on /readyz (fresh), and
// one second after the delay (delivered). Each reading also gives the daemon's child processes
// (its rewardd-http helpers: their number, summed VmRSS and private memory) and whether the
// daemon itself maps libcurl (/proc/PID/maps).
// With --smaps DIR, each reading also copies /proc/PID/smaps to DIR (fresh.smaps, delivered.smaps,
// idle.smaps; the last run's) for a per-library comparison.
// Usage: idle_memory_bench [--runs R] [--orders N] [--shopify-orders N] [--customers C] [--rewardd PATH]
//                          [--smaps DIR]
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>
#include <vector>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "bench/load_generator.hpp"
#include "bench/process_stats.hpp"
#include "fakes/fake_woocommerce.hpp"
#include "net/http_relay.hpp"
#include "outbox/outbox_store.hpp"
#include "rewards/grant_code.hpp"
#include "store/database.hpp"
#include "support/daemon_process.hpp"

using namespace rewardd;
using namespace rewardd::bench;
using namespace std::chrono_literals;

namespace {

const std::string k_key = "ck_bench_0123456789";
const std::string k_secret = "cs_bench_0123456789";

const std::string k_webhook_secret = "bench-webhook-secret";

std::string g_smaps_dir;  // --smaps
std::size_t g_orders = 0;  // --orders
std::size_t g_customers = 50;  // --customers: whose orders they are, in turn
std::size_t g_shopify_orders = 0;  // --shopify-orders
const std::string k_shopify_secret = "bench-shopify-client-secret";

// VmRSS now, and a copy of smaps named `what` when --smaps was given.
long read_rss(int pid, const std::string& what) {
    if (!g_smaps_dir.empty()) {
        std::ifstream in("/proc/" + std::to_string(pid) + "/smaps");
        std::ofstream(g_smaps_dir + "/" + what + ".smaps") << in.rdbuf();
    }
    return proc_status_kib(pid, "VmRSS");
}

// A process's private memory (its pages no other process maps: Private_Clean + Private_Dirty of
// /proc/PID/smaps_rollup), in KiB. Most of a helper's VmRSS is shared library pages.
long private_kib(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/smaps_rollup");
    long total = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("Private_Clean:", 0) == 0 || line.rfind("Private_Dirty:", 0) == 0) {
            total += std::stol(line.substr(line.find(':') + 1));
        }
    }
    return total;
}

// The daemon's child processes (its helpers), whichever thread started them: how many, and their
// VmRSS and private memory summed.
struct Children {
    int count = 0;
    long rss_kib = 0;
    long private_kib = 0;
};

Children children_of(int pid) {
    Children out;
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
        std::ifstream in(task.path() / "children");
        for (int child = 0; in >> child;) {
            ++out.count;
            out.rss_kib += proc_status_kib(child, "VmRSS");
            out.private_kib += private_kib(child);
        }
    }
    return out;
}

std::string children_text(int pid) {
    const Children c = children_of(pid);
    return std::to_string(c.count) + " helper(s) " + std::to_string(c.rss_kib) + " KiB (private " +
           std::to_string(c.private_kib) + " KiB)";
}

bool libcurl_mapped(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/maps");
    std::string line;
    while (std::getline(in, line)) {
        if (line.find("/libcurl.so") != std::string::npos) return true;
    }
    return false;
}

// `rewardd serve` on a free port, its output discarded; returns once /readyz answers 200.
pid_t serve(const std::string& binary, const std::string& data, int* port_out = nullptr) {
    const int port = test::free_port();
    if (port_out) *port_out = port;
    const pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl(binary.c_str(), binary.c_str(), "serve", "--data", data.c_str(), "--listen",
              ("127.0.0.1:" + std::to_string(port)).c_str(), nullptr);
        _exit(127);
    }
    httplib::Client cli("127.0.0.1", port);
    cli.set_connection_timeout(0, 100000);
    for (;;) {
        if (auto res = cli.Get("/readyz"); res && res->status == 200) return pid;
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
}

int stop(pid_t pid) {
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string outbox_status(const std::string& data, const std::string& grant_id) {
    auto db = open_database({data + "/rewardd.db", Durability::full, 5000, true});
    if (!db) return "";
    SQLite::Statement q(**db, "SELECT status FROM outbox WHERE grant_id = ?");
    q.bind(1, grant_id);
    return q.executeStep() ? q.getColumn(0).getString() : "";
}

// A grant written to the outbox as the daemon's own code writes it.
bool enqueue(const std::string& data, const std::string& grant_id) {
    RewardGrant g;
    g.grant_id = grant_id;
    g.shop_id = "wc1";
    g.code = grant_coupon_code("RWD", grant_id);
    g.amount_minor = 1250;
    g.currency = "USD";
    g.customer_email = "ada@example.test";
    g.description = "idle memory bench";
    auto db = open_database({data + "/rewardd.db", Durability::full});
    return db && OutboxStore(*db).enqueue(g, 1700000000);
}

// N distinct completed orders as signed WooCommerce deliveries, all answered 2xx; false otherwise.
bool take_orders(int port, std::size_t n) {
    if (n == 0) return true;
    auto order = nlohmann::json::parse(
        test::read_file(std::string(REWARDD_FIXTURES_DIR) + "/woocommerce/wc-webhook-order-updated-completed.json"));
    std::vector<Request> requests;
    for (std::size_t i = 0; i < n; ++i) {
        order["id"] = 5000000 + i;
        order["billing"]["email"] = "customer" + std::to_string(i % g_customers) + "@example.test";
        std::string body = order.dump();
        httplib::Headers h{{"X-WC-Webhook-Topic", "order.updated"}, {"X-WC-Webhook-Signature", test::sign(k_webhook_secret, body)},
                           {"X-WC-Webhook-ID", "2"}, {"X-WC-Webhook-Delivery-ID", std::to_string(i + 1)}};
        requests.push_back({"/webhooks/woocommerce/wc1", std::move(h), std::move(body)});
    }
    const LoadResult load = run_load(port, requests, 8);
    return load.answered_2xx == n;
}

// N distinct paid orders as signed Shopify deliveries, all answered 2xx; false otherwise.
bool take_shopify_orders(int port, std::size_t n) {
    if (n == 0) return true;
    auto order = nlohmann::json::parse(test::read_file(std::string(REWARDD_FIXTURES_DIR) + "/shopify/orders-paid.json"));
    std::vector<Request> requests;
    for (std::size_t i = 0; i < n; ++i) {
        order["id"] = 7000000 + i;
        order["customer"]["id"] = 800000 + i % g_customers;
        const std::string email = "shopper" + std::to_string(i % g_customers) + "@example.test";
        order["customer"]["email"] = order["email"] = email;
        std::string body = order.dump();
        httplib::Headers h{{"X-Shopify-Shop-Domain", "bench.myshopify.com"}, {"X-Shopify-Topic", "orders/paid"},
                           {"X-Shopify-Hmac-Sha256", test::sign(k_shopify_secret, body)},
                           {"X-Shopify-Webhook-Id", "bench-" + std::to_string(i)}, {"X-Shopify-API-Version", "2026-07"}};
        requests.push_back({"/webhooks/shopify", std::move(h), std::move(body)});
    }
    return run_load(port, requests, 8).answered_2xx == n;
}

bool add_shopify_shop(const std::string& data) {
    if (g_shopify_orders == 0) return true;
    const auto added = test::run_rewardd({"shop", "add", "s1", "--platform", "shopify", "--domain", "bench.myshopify.com",
                                          "--client-id", "bench-client", "--client-secret", k_shopify_secret,
                                          "--api-base", "http://127.0.0.1:1", "--data", data});
    if (added.exit_code != 0) std::fprintf(stderr, "%s", added.err.c_str());
    return added.exit_code == 0;
}

struct Run {
    long fresh_kib = 0;
    long delivered_kib = 0;  // just after the delivery, its helper still running
    long idle_kib = 0;       // past the helper's exit delay
    long idle_children_kib = 0;
};

long fresh_idle_kib(const std::string& binary) {
    test::TempDir dir;
    const pid_t pid = serve(binary, dir.str());
    std::this_thread::sleep_for(1s);
    const long rss = read_rss(pid, "fresh");
    std::printf("  fresh: %ld KiB, libcurl %s, %s, ", rss, libcurl_mapped(pid) ? "mapped" : "not mapped",
                children_text(pid).c_str());
    std::printf("exit %d\n", stop(pid));
    return rss;
}

// Zero KiB when the delivery did not happen.
Run after_delivery(const std::string& binary, Run run) {
    test::FakeWooCommerce fake(k_key, k_secret);
    test::TempDir dir;
    const auto added = test::run_rewardd({"shop", "add", "wc1", "--platform", "woocommerce", "--secret", k_webhook_secret,
                                          "--url", fake.url(), "--consumer-key", k_key, "--consumer-secret", k_secret,
                                          "--data", dir.str()});
    if (added.exit_code != 0) return std::fprintf(stderr, "%s", added.err.c_str()), run;
    if (!add_shopify_shop(dir.str())) return run;
    int port = 0;
    const pid_t pid = serve(binary, dir.str(), &port);
    if (!take_orders(port, g_orders)) return std::fprintf(stderr, "orders were not all answered 2xx\n"), stop(pid), run;
    if (!take_shopify_orders(port, g_shopify_orders)) {
        return std::fprintf(stderr, "Shopify orders were not all answered 2xx\n"), stop(pid), run;
    }
    if (!enqueue(dir.str(), "bench-1")) return stop(pid), run;
    for (int i = 0; i < 600 && outbox_status(dir.str(), "bench-1") != "delivered"; ++i) std::this_thread::sleep_for(50ms);
    if (outbox_status(dir.str(), "bench-1") != "delivered") return stop(pid), run;
    run.delivered_kib = read_rss(pid, "delivered");
    std::printf("  delivered: %ld KiB, libcurl %s, %s; waiting %lld s\n", run.delivered_kib,
                libcurl_mapped(pid) ? "mapped" : "not mapped", children_text(pid).c_str(),
                static_cast<long long>(HttpRelay::k_idle_exit_after.count() + 1));
    std::this_thread::sleep_for(HttpRelay::k_idle_exit_after + 1s);
    run.idle_kib = read_rss(pid, "idle");
    run.idle_children_kib = children_of(pid).rss_kib;
    std::printf("  idle after delivery: %ld KiB, libcurl %s, %s, ", run.idle_kib,
                libcurl_mapped(pid) ? "mapped" : "not mapped", children_text(pid).c_str());
    std::printf("exit %d, coupons %zu\n", stop(pid), fake.coupons().size());
    return run;
}

long median(std::vector<long> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void print_median(const char* what, const std::vector<Run>& runs, long Run::*field) {
    std::vector<long> v;
    for (const auto& r : runs) v.push_back(r.*field);
    const long m = median(v);
    std::printf("%-32s %6ld KiB (%.1f MiB)\n", what, m, mib(m));
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 5;
    std::string binary = test::rewardd_binary();
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        if (key == "--runs") runs = std::stoi(argv[i + 1]);
        else if (key == "--rewardd") binary = argv[i + 1];
        else if (key == "--smaps") g_smaps_dir = argv[i + 1];
        else if (key == "--orders") g_orders = std::stoul(argv[i + 1]);
        else if (key == "--shopify-orders") g_shopify_orders = std::stoul(argv[i + 1]);
        else if (key == "--customers") g_customers = std::max<std::size_t>(1, std::stoul(argv[i + 1]));
    }
    setvbuf(stdout, nullptr, _IOLBF, 0);  // nothing buffered for the forked children to repeat
    std::printf("rewardd: %s, %zu WooCommerce and %zu Shopify orders of %zu customers before the delivery\n",
                binary.c_str(), g_orders, g_shopify_orders, g_customers);
    std::vector<Run> results;
    for (int i = 0; i < runs; ++i) {
        std::printf("run %d\n", i + 1);
        Run run;
        run.fresh_kib = fresh_idle_kib(binary);
        run = after_delivery(binary, run);
        if (run.idle_kib == 0) return std::fprintf(stderr, "the reward was not delivered\n"), 1;
        results.push_back(run);
    }
    std::printf("median of %d runs:\n", runs);
    print_median("fresh, idle", results, &Run::fresh_kib);
    print_median("just after one delivery", results, &Run::delivered_kib);
    print_median("idle past the helper's delay", results, &Run::idle_kib);
    print_median("its helpers then", results, &Run::idle_children_kib);
    return 0;
}
