// Splitting an integer amount over weighted parts so the parts sum exactly to the whole
// (largest remainder, ties to the earlier part). Used for points over order lines and for
// order-level discounts and amount-only refunds over lines.
#pragma once

#include <cstdint>
#include <vector>

namespace rewardd {

// Returns one share per weight; shares sum to `total` when any weight is positive, else all 0.
// total >= 0, weights >= 0.
std::vector<std::int64_t> allocate_largest_remainder(std::int64_t total,
                                                     const std::vector<std::int64_t>& weights);

}  // namespace rewardd
