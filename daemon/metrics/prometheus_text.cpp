#include "prometheus_text.hpp"

namespace rewardd::metrics {

std::string format_scaled(std::int64_t value, std::int64_t scale) {
    if (scale <= 1) return std::to_string(value);
    const bool negative = value < 0;
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    const auto unit = static_cast<std::uint64_t>(scale);
    std::string fraction = std::to_string(magnitude % unit);
    const std::size_t digits = std::to_string(unit).size() - 1;
    fraction.insert(0, digits - fraction.size(), '0');
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    std::string text = (negative ? "-" : "") + std::to_string(magnitude / unit);
    return fraction.empty() ? text : text + "." + fraction;
}

std::string escape_label_value(const std::string& value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

void TextWriter::header(const std::string& name, const std::string& help, const std::string& type) {
    m_text += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void TextWriter::sample(const std::string& name, const Labels& labels, const std::string& value) {
    m_text += name;
    if (!labels.empty()) {
        m_text += '{';
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (i) m_text += ',';
            m_text += labels[i].first + "=\"" + escape_label_value(labels[i].second) + '"';
        }
        m_text += '}';
    }
    m_text += ' ' + value + '\n';
}

void TextWriter::sample(const std::string& name, const Labels& labels, std::int64_t value) {
    sample(name, labels, std::to_string(value));
}

void TextWriter::counter(const std::string& name, const std::string& help, const Counter& counter) {
    header(name, help, "counter");
    sample(name, {}, std::to_string(counter.value()));
}

void TextWriter::counter_family(const std::string& name, const std::string& help, const CounterFamily& family) {
    header(name, help, "counter");
    for (const auto& [values, count] : family.snapshot()) {
        Labels labels;
        for (std::size_t i = 0; i < values.size() && i < family.label_names().size(); ++i) {
            labels.emplace_back(family.label_names()[i], values[i]);
        }
        sample(name, labels, std::to_string(count));
    }
}

void TextWriter::histogram(const std::string& name, const std::string& help, const Histogram& histogram,
                           std::int64_t scale) {
    header(name, help, "histogram");
    const auto s = histogram.snapshot();
    for (std::size_t i = 0; i < s.upper_bounds.size(); ++i) {
        sample(name + "_bucket", {{"le", format_scaled(s.upper_bounds[i], scale)}}, std::to_string(s.cumulative[i]));
    }
    sample(name + "_bucket", {{"le", "+Inf"}}, std::to_string(s.count));
    sample(name + "_sum", {}, format_scaled(s.sum, scale));
    sample(name + "_count", {}, std::to_string(s.count));
}

}  // namespace rewardd::metrics
