// Largest-remainder allocation with 128-bit intermediates.
#include "allocation.hpp"

#include <algorithm>
#include <numeric>

namespace rewardd {

std::vector<std::int64_t> allocate_largest_remainder(std::int64_t total,
                                                     const std::vector<std::int64_t>& weights) {
    std::vector<std::int64_t> shares(weights.size(), 0);
    __int128 weight_sum = 0;
    for (auto w : weights) weight_sum += w;
    if (weight_sum <= 0 || total <= 0) return shares;

    std::vector<std::pair<__int128, std::size_t>> remainders;
    std::int64_t given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const __int128 product = static_cast<__int128>(total) * weights[i];
        shares[i] = static_cast<std::int64_t>(product / weight_sum);
        given += shares[i];
        remainders.emplace_back(product % weight_sum, i);
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; given < total; ++k, ++given) shares[remainders[k].second] += 1;
    return shares;
}

}  // namespace rewardd
