#include "instruments.hpp"

#include <algorithm>
#include <mutex>

namespace rewardd::metrics {

void CounterFamily::add(const std::vector<std::string>& label_values, std::uint64_t n) {
    {
        std::shared_lock lock(m_mutex);
        if (auto it = m_counters.find(label_values); it != m_counters.end()) {
            it->second->add(n);
            return;
        }
    }
    std::unique_lock lock(m_mutex);
    auto& counter = m_counters[label_values];
    if (!counter) counter = std::make_unique<Counter>();
    counter->add(n);
}

std::map<std::vector<std::string>, std::uint64_t> CounterFamily::snapshot() const {
    std::shared_lock lock(m_mutex);
    std::map<std::vector<std::string>, std::uint64_t> values;
    for (const auto& [labels, counter] : m_counters) values[labels] = counter->value();
    return values;
}

Histogram::Histogram(std::vector<std::int64_t> upper_bounds)
    : m_bounds(std::move(upper_bounds)), m_buckets(new std::atomic<std::uint64_t>[m_bounds.size() + 1]) {
    for (std::size_t i = 0; i <= m_bounds.size(); ++i) m_buckets[i].store(0);
}

void Histogram::observe(std::int64_t value) {
    const auto at = std::lower_bound(m_bounds.begin(), m_bounds.end(), value) - m_bounds.begin();
    m_buckets[static_cast<std::size_t>(at)].fetch_add(1, std::memory_order_relaxed);
    m_sum.fetch_add(value, std::memory_order_relaxed);
}

// Buckets are read one by one while others may record, so a scrape can be off by the
// observations in flight; Prometheus tolerates that, and it costs recorders nothing.
Histogram::Snapshot Histogram::snapshot() const {
    Snapshot s;
    s.upper_bounds = m_bounds;
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= m_bounds.size(); ++i) {
        running += m_buckets[i].load(std::memory_order_relaxed);
        s.cumulative.push_back(running);
    }
    s.count = running;
    s.sum = m_sum.load(std::memory_order_relaxed);
    return s;
}

}  // namespace rewardd::metrics
