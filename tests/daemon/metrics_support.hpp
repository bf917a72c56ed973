// Reading GET /metrics in tests: the exposition parsed into "name{labels}" -> value, and a
// bounded wait for a sample to reach a value (the ledger is applied a moment after the 200).
#pragma once

#include <chrono>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "support/daemon_process.hpp"

namespace rewardd::test {

using Samples = std::map<std::string, std::string>;

inline Samples parse_exposition(const std::string& text) {
    Samples samples;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.rfind(' ');
        if (space != std::string::npos) samples[line.substr(0, space)] = line.substr(space + 1);
    }
    return samples;
}

inline Samples scrape(const DaemonProcess& d) {
    auto res = d.client().Get("/metrics");
    if (!res || res->status != 200) return {};
    return parse_exposition(res->body);
}

// The sample's value, or "" when absent.
inline std::string sample(const Samples& s, const std::string& key) {
    auto it = s.find(key);
    return it == s.end() ? "" : it->second;
}

inline Samples scrape_until(const DaemonProcess& d, const std::string& key, const std::string& value,
                            int timeout_ms = 10000) {
    Samples s;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    do {
        s = scrape(d);
        if (sample(s, key) == value) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < until);
    return s;
}

}  // namespace rewardd::test
