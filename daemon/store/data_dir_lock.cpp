#include "data_dir_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rewardd {
namespace {

std::string lock_path(const std::string& data_dir) { return data_dir + "/rewardd.lock"; }

}  // namespace

Result<DataDirLock> DataDirLock::acquire(const std::string& data_dir) {
    const int fd = ::open(lock_path(data_dir).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return make_error(ErrorCode::storage_unavailable,
                          "cannot open " + lock_path(data_dir) + ": " + std::strerror(errno), "data_dir");
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return make_error(ErrorCode::invalid_field,
                          "another rewardd is already running on " + data_dir + " (it holds " +
                              lock_path(data_dir) + ")",
                          "data_dir");
    }
    return DataDirLock(fd);
}

bool DataDirLock::held_by_another_process(const std::string& data_dir) {
    const int fd = ::open(lock_path(data_dir).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;  // no lock file: no daemon ever ran here
    const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return held;
}

DataDirLock::DataDirLock(DataDirLock&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }

DataDirLock::~DataDirLock() {
    if (m_fd >= 0) ::close(m_fd);  // closing releases the lock
}

}  // namespace rewardd
