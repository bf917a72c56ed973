// What /proc says about a process: resident memory now and at its peak, in KiB; CPU time used.
#pragma once

#include <unistd.h>

#include <fstream>
#include <sstream>
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

// CPU time (user + system, all threads) a process has used so far, in seconds (0 when unreadable).
inline double proc_cpu_seconds(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto after_name = stat.rfind(')');  // the command name may hold spaces
    if (after_name == std::string::npos) return 0;
    std::istringstream fields(stat.substr(after_name + 2));
    std::string skip;
    for (int i = 3; i < 14; ++i) fields >> skip;  // state .. cmajflt: fields 3 to 13
    long utime = 0, stime = 0;
    fields >> utime >> stime;
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

inline double mib(long kib) { return static_cast<double>(kib) / 1024.0; }

}  // namespace rewardd::bench
