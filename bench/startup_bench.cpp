// Start-up benchmark: a database grown to about 1 GB of stored events (all applied), then the
// time from starting `rewardd serve` to its first 200 on /readyz, and its resident memory idle.
// Usage: startup_bench [--megabytes M] [--runs R] [--keep DIR]
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include "bench/process_stats.hpp"
#include "support/daemon_process.hpp"

using namespace rewardd;
using namespace rewardd::bench;
using Clock = std::chrono::steady_clock;

namespace {

// Appends 1 KiB events in transactions of 10,000 until the file reaches `megabytes`.
void grow_database(const std::string& path, std::size_t megabytes) {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA synchronous = OFF");
    std::mt19937_64 rng(1);
    std::string body(1024, 'x');
    std::int64_t n = 0;
    while (std::filesystem::file_size(path) < megabytes << 20) {
        SQLite::Transaction tx(db);
        SQLite::Statement q(db, "INSERT INTO events (shop_id, event_id, type, order_id, occurred_at, received_at, body) "
                                "VALUES ('s1', ?, 'order.paid', ?, ?, ?, ?)");
        for (int i = 0; i < 10000; ++i, ++n) {
            for (auto& c : body) c = static_cast<char>('a' + rng() % 26);
            q.bind(1, "e" + std::to_string(n));
            q.bind(2, "o" + std::to_string(n / 3));
            q.bind(3, static_cast<std::int64_t>(1767225600 + n));
            q.bind(4, static_cast<std::int64_t>(1767225600 + n));
            q.bind(5, body);
            q.exec();
            q.reset();
        }
        tx.commit();
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    db.exec("UPDATE apply_cursor SET seq = (SELECT MAX(seq) FROM events)");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    std::printf("database: %lld events, %.0f MiB\n", static_cast<long long>(n),
                static_cast<double>(std::filesystem::file_size(path)) / (1 << 20));
}

// Milliseconds from fork to the first 200 on /readyz; leaves the daemon running in `pid`.
double start_to_ready_ms(const std::string& data, int port, pid_t& pid) {
    const auto start = Clock::now();
    pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        std::string bin = test::rewardd_binary();
        execl(bin.c_str(), bin.c_str(), "serve", "--data", data.c_str(), "--listen",
              ("127.0.0.1:" + std::to_string(port)).c_str(), nullptr);
        _exit(127);
    }
    httplib::Client cli("127.0.0.1", port);
    cli.set_connection_timeout(0, 100000);
    for (;;) {
        if (auto res = cli.Get("/readyz"); res && res->status == 200) break;
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t megabytes = 1024;
    int runs = 5;
    std::string keep;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        if (key == "--megabytes") megabytes = std::stoul(argv[i + 1]);
        else if (key == "--runs") runs = std::stoi(argv[i + 1]);
        else if (key == "--keep") keep = argv[i + 1];
    }
    test::TempDir tmp;
    const std::string data = keep.empty() ? tmp.str() : keep;
    const std::string db = data + "/rewardd.db";
    if (!std::filesystem::exists(db)) {
        const auto r = test::run_rewardd({"shop", "add", "s1", "--platform", "custom", "--secret", "startup-bench-secret", "--data", data});
        if (r.exit_code != 0) return std::fprintf(stderr, "%s", r.err.c_str()), 1;
        grow_database(db, megabytes);
    }
    std::vector<double> times;
    for (int run = 0; run < runs; ++run) {
        pid_t pid = 0;
        times.push_back(start_to_ready_ms(data, test::free_port(), pid));
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        const long rss = proc_status_kib(pid, "VmRSS");
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
        std::printf("run %d: ready after %.1f ms, idle RSS %.1f MiB\n", run + 1, times.back(), mib(rss));
    }
    std::sort(times.begin(), times.end());
    std::printf("start-up to ready (median of %d): %.1f ms\n", runs, times[times.size() / 2]);
    return 0;
}
