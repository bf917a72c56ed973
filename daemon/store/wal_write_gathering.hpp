// A SQLite VFS that gathers the writes to write-ahead-log files into two writes per commit.
// SQLite writes each WAL frame as two calls (its 24-byte header, then the page), so a commit of
// 23 pages costs 46 pwrite calls before its fsync; on this VM that was 120–150 µs of a commit
// cycle of about 1 ms. The VFS wraps the platform's default one and becomes the default; only
// files SQLite opens as WAL files are wrapped, the database and its shared memory are untouched.
#pragma once

#include <cstddef>
#include <cstdint>

namespace rewardd {

// Registers the VFS as the process's default, once; later calls do nothing. Must run after any
// sqlite3_config call (registering initialises SQLite). False when SQLite refused it; SQLite
// then goes on with its own default.
bool install_wal_write_gathering();

// Frees the gathering buffers of WAL files that hold nothing unwritten (between transactions),
// so an idle daemon keeps none of them. Safe from any thread.
void release_idle_wal_buffers();

// The gathering buffers of all open WAL files now, in bytes (for tests).
struct WalBuffers {
    std::size_t reserved = 0;   // allocated
    std::size_t unwritten = 0;  // gathered and not yet in the file
};
WalBuffers wal_buffers();

// Writes SQLite asked of WAL files, and writes that reached them, since the process started.
struct WalWriteCounts {
    std::uint64_t asked = 0;
    std::uint64_t written = 0;
};
WalWriteCounts wal_write_counts();

}  // namespace rewardd
