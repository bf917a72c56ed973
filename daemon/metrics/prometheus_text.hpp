// Writes the Prometheus text exposition format (version 0.0.4): a HELP and TYPE line per metric,
// then one sample per line, label values escaped. Values are integers; a scale (a power of ten)
// turns a base unit into the exposed one without floating point (1234 µs at 1000000 -> 0.001234).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "metrics/instruments.hpp"

namespace rewardd::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

inline constexpr const char* k_text_content_type = "text/plain; version=0.0.4; charset=utf-8";

std::string format_scaled(std::int64_t value, std::int64_t scale);
std::string escape_label_value(const std::string& value);

class TextWriter {
public:
    void header(const std::string& name, const std::string& help, const std::string& type);
    void sample(const std::string& name, const Labels& labels, const std::string& value);
    void sample(const std::string& name, const Labels& labels, std::int64_t value);

    void counter(const std::string& name, const std::string& help, const Counter& counter);
    void counter_family(const std::string& name, const std::string& help, const CounterFamily& family);
    // `scale`: base units per exposed unit (1000000 for microseconds exposed as seconds).
    void histogram(const std::string& name, const std::string& help, const Histogram& histogram,
                   std::int64_t scale = 1);

    const std::string& text() const { return m_text; }

private:
    std::string m_text;
};

}  // namespace rewardd::metrics
