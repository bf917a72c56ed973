// When to try an outbox item again: exponential backoff with jitter, capped, honouring the
// platform's Retry-After. Pure: the random draw is passed in.
#pragma once

#include <cstdint>
#include <optional>

namespace rewardd {

struct RetryPolicy {
    std::int64_t base_ms = 1000;     // delay after the first failure
    std::int64_t max_ms = 300000;    // no delay is longer than this (except a longer Retry-After)
    int attempts_max = 20;           // after this many failed attempts the item is parked
};

// Delay before attempt number `attempts` + 1, given `attempts` failures so far (>= 1):
// base * 2^(attempts-1), capped at max, then "equal jitter": a value in [d/2, d] chosen by
// `random`. A Retry-After from the platform wins when it is longer.
std::int64_t retry_delay_ms(const RetryPolicy& policy, int attempts, std::uint64_t random,
                            std::optional<std::int64_t> retry_after_ms);

}  // namespace rewardd
