// One daemon per data folder: `serve` holds an exclusive advisory lock on "<data>/rewardd.lock"
// for its whole life (the kernel drops it when the process dies, even on kill -9), so commands
// that must not run beside a daemon (`restore`) can tell whether one is running.
#pragma once

#include <string>

#include "core/result.hpp"

namespace rewardd {

class DataDirLock {
public:
    // Takes the lock; invalid_field (naming --data) when another process holds it.
    static Result<DataDirLock> acquire(const std::string& data_dir);
    // True when a running process holds the data folder's lock.
    static bool held_by_another_process(const std::string& data_dir);

    DataDirLock(DataDirLock&& other) noexcept;
    DataDirLock& operator=(DataDirLock&&) = delete;
    DataDirLock(const DataDirLock&) = delete;
    ~DataDirLock();

private:
    explicit DataDirLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

}  // namespace rewardd
