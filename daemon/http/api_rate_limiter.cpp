// GCRA: a request at `now` is allowed while the schedule is at most `burst` ahead of now.
#include "api_rate_limiter.hpp"

#include <algorithm>

namespace rewardd {

namespace {
constexpr std::int64_t k_minute_us = 60'000'000;
}

ApiRateLimiter::ApiRateLimiter(std::int64_t requests_per_minute_max, Clock clock)
    : m_interval_us(k_minute_us / std::max<std::int64_t>(1, requests_per_minute_max)),
      m_burst_us(k_minute_us - m_interval_us),
      m_clock(std::move(clock)) {}

std::int64_t ApiRateLimiter::acquire(std::int64_t key) {
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::microseconds>(m_clock().time_since_epoch()).count();
    std::lock_guard lock(m_mutex);
    auto [it, inserted] = m_next_us.try_emplace(key, now);
    const std::int64_t scheduled = std::max(it->second, now);
    if (scheduled - now > m_burst_us) {
        const std::int64_t wait_us = scheduled - now - m_burst_us;
        return std::max<std::int64_t>(1, (wait_us + 999) / 1000);
    }
    it->second = scheduled + m_interval_us;
    return 0;
}

}  // namespace rewardd
