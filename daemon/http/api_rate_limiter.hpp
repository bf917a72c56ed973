// Per-token request budget for /api/v1 (`api_requests_per_minute_max`): a generic cell rate
// algorithm, i.e. a token bucket of one minute's worth that refills evenly, kept as one "next
// theoretical arrival time" per key. Integer microseconds; the clock is passed in for tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

namespace rewardd {

class ApiRateLimiter {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    explicit ApiRateLimiter(std::int64_t requests_per_minute_max, Clock clock = std::chrono::steady_clock::now);

    // Counts one request for `key`: 0 when it may go on, else how many milliseconds until the
    // next request would be allowed (the request is then not counted).
    std::int64_t acquire(std::int64_t key);

private:
    std::int64_t m_interval_us;  // one request's share of the minute
    std::int64_t m_burst_us;     // how far ahead of now the schedule may run: a full minute's budget
    Clock m_clock;
    std::mutex m_mutex;
    std::map<std::int64_t, std::int64_t> m_next_us;  // key -> theoretical arrival time
};

}  // namespace rewardd
