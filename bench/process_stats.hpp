// What /proc says about a process: resident memory now and at its peak, in KiB.
#pragma once

#include <fstream>
#include <string>

namespace rewardd::bench {

// A "VmRSS" / "VmHWM" line of /proc/PID/status, in KiB (0 when unreadable).
inline long proc_status_kib(int pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
    }
    return 0;
}

inline double mib(long kib) { return static_cast<double>(kib) / 1024.0; }

}  // namespace rewardd::bench
