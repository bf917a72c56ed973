// The three kinds of instrument rewardd exposes on GET /metrics: counters, counters split by
// labels, and histograms. Recording is one or two relaxed atomic additions, so request threads and
// the writer can record on their hot path; reading happens only when /metrics is scraped.
// Values are integers in a base unit (microseconds, events, seconds); rendering scales them.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

namespace rewardd::metrics {

class Counter {
public:
    void add(std::uint64_t n = 1) { m_value.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> m_value{0};
};

// Counters keyed by their label values (in the order of the family's label names). A label set
// is created on first use; later uses take a shared lock and one atomic add.
class CounterFamily {
public:
    explicit CounterFamily(std::vector<std::string> label_names) : m_label_names(std::move(label_names)) {}

    void add(const std::vector<std::string>& label_values, std::uint64_t n = 1);
    const std::vector<std::string>& label_names() const { return m_label_names; }
    std::map<std::vector<std::string>, std::uint64_t> snapshot() const;

private:
    std::vector<std::string> m_label_names;
    mutable std::shared_mutex m_mutex;
    std::map<std::vector<std::string>, std::unique_ptr<Counter>> m_counters;
};

// Fixed upper bounds (inclusive, increasing, in the base unit); one count per bucket plus +Inf.
class Histogram {
public:
    explicit Histogram(std::vector<std::int64_t> upper_bounds);

    void observe(std::int64_t value);

    struct Snapshot {
        std::vector<std::int64_t> upper_bounds;
        std::vector<std::uint64_t> cumulative;  // per bound, then +Inf (== count)
        std::int64_t sum = 0;
        std::uint64_t count = 0;
    };
    Snapshot snapshot() const;

private:
    std::vector<std::int64_t> m_bounds;
    std::unique_ptr<std::atomic<std::uint64_t>[]> m_buckets;  // m_bounds.size() + 1
    std::atomic<std::int64_t> m_sum{0};
};

}  // namespace rewardd::metrics
