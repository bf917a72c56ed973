// Backoff arithmetic in integers.
#include "retry_policy.hpp"

#include <algorithm>

namespace rewardd {

std::int64_t retry_delay_ms(const RetryPolicy& policy, int attempts, std::uint64_t random,
                            std::optional<std::int64_t> retry_after_ms) {
    std::int64_t delay = std::max<std::int64_t>(policy.base_ms, 1);
    for (int i = 1; i < attempts && delay < policy.max_ms; ++i) delay *= 2;
    delay = std::min(delay, std::max<std::int64_t>(policy.max_ms, 1));
    const std::int64_t half = delay / 2;
    const std::int64_t jittered = half + static_cast<std::int64_t>(random % static_cast<std::uint64_t>(delay - half + 1));
    if (retry_after_ms && *retry_after_ms > jittered) return *retry_after_ms;
    return jittered;
}

}  // namespace rewardd
