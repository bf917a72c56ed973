// Threads, pacing and percentiles for the load generator.
#include "load_generator.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace rewardd::bench {

double LoadResult::percentile_ms(double p) const {
    if (latencies_ms.empty()) return 0;
    std::vector<double> sorted = latencies_ms;
    std::sort(sorted.begin(), sorted.end());
    const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(rank, sorted.size() - 1)];
}

LoadResult run_load(int port, const std::vector<Request>& requests, int connections, double rate_per_second) {
    using Clock = std::chrono::steady_clock;
    LoadResult result;
    std::mutex mutex;
    std::atomic<std::size_t> next{0};
    const auto start = Clock::now();
    // Paced: request i is due at start + i / rate, whichever connection sends it.
    const auto due = [&](std::size_t i) {
        return start + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(static_cast<double>(i) / rate_per_second));
    };
    std::vector<std::thread> pool;
    for (int c = 0; c < connections; ++c) {
        pool.emplace_back([&] {
            httplib::Client cli("127.0.0.1", port);
            cli.set_keep_alive(true);
            cli.set_tcp_nodelay(true);  // a request's header and body are two writes: no 40 ms Nagle wait
            cli.set_read_timeout(30, 0);
            std::vector<double> mine;
            std::size_t ok = 0, failed = 0;
            for (std::size_t i = next++; i < requests.size(); i = next++) {
                auto sent_at = Clock::now();
                if (rate_per_second > 0) {
                    sent_at = due(i);
                    std::this_thread::sleep_until(sent_at);
                }
                const auto& r = requests[i];
                auto res = cli.Post(r.path, r.headers, r.body, "application/json");
                mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent_at).count());
                if (res && res->status / 100 == 2) ++ok;
                else ++failed;
            }
            std::lock_guard lock(mutex);
            result.answered_2xx += ok;
            result.failed += failed;
            result.latencies_ms.insert(result.latencies_ms.end(), mine.begin(), mine.end());
        });
    }
    for (auto& t : pool) t.join();
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
}

}  // namespace rewardd::bench
