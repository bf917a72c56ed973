// The WAL file format this relies on (sqlite.org/fileformat.html, "WAL File Format"): a 32-byte
// header, then frames of a 24-byte header and one page, written in that order; bytes 4–7 of a
// frame header are non-zero only in the last frame of a commit.
//
// When gathered bytes reach the file:
// - at a commit frame's header, with everything gathered before it, and at the page that follows
//   it: a commit at any `synchronous` level leaves its frames in the file before SQLite publishes
//   them in the WAL index (other connections read frames by their own descriptors, found through
//   that index). The header goes out on its own because SQLite also rewrites frame headers in
//   place, without their pages (when a transaction rewrote a frame, it recomputes the checksums of
//   the frames after it, the commit frame last), and nothing need follow that write;
// - before anything that reads or measures the file, syncs, truncates it or closes it;
// - when a write does not continue the gathered run (SQLite rewriting a frame in place), or
//   would make the run longer than k_run_max.
// So a commit still returns only after its frames were written (and, with synchronous=FULL,
// synced), in two writes instead of two per frame. Bytes gathered but not yet written when the
// process dies belong to a transaction that had not committed; SQLite's recovery ignores such
// frames as it ignores torn ones.
#include "wal_write_gathering.hpp"

#include <sqlite3.h>

#include <atomic>
#include <mutex>
#include <new>
#include <vector>

namespace rewardd {
namespace {

constexpr int k_frame_header_size = 24;
// The longest write the default VFS takes whole: it cuts a write's length to 17 bits
// (os_unix.c, seekAndWriteFd: `nBuf &= 0x1ffff`), as SQLite itself never writes more than a page.
constexpr std::size_t k_run_max = 0x1ffff;

// One open WAL file's gathering state; listed so idle buffers can be freed from another thread.
struct Gathering {
    std::mutex mutex;
    std::vector<char> bytes;  // not yet written, from `offset` on
    sqlite3_int64 offset = 0;
    bool commit_page_next = false;  // the last write was a commit frame's header
    Gathering* prev = nullptr;
    Gathering* next = nullptr;
};

std::atomic<std::uint64_t> g_asked{0};
std::atomic<std::uint64_t> g_written{0};

std::mutex g_open_mutex;
Gathering* g_open = nullptr;

void list_open(Gathering* g) {
    std::lock_guard lock(g_open_mutex);
    g->next = g_open;
    if (g_open) g_open->prev = g;
    g_open = g;
}

void unlist(Gathering* g) {
    std::lock_guard lock(g_open_mutex);
    if (g->prev) g->prev->next = g->next;
    else g_open = g->next;
    if (g->next) g->next->prev = g->prev;
}

// The file SQLite holds: our methods first, then the default VFS's own file in the same block.
struct WalFile {
    sqlite3_file base;
    sqlite3_file* inner;
    Gathering* gathering;
};

constexpr std::size_t k_inner_offset = (sizeof(WalFile) + 15) / 16 * 16;

sqlite3_vfs* inner_vfs(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }
WalFile* wal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }

bool is_commit_header(const void* data, int amount) {
    if (amount != k_frame_header_size) return false;
    const auto* b = static_cast<const unsigned char*>(data);
    return (b[4] | b[5] | b[6] | b[7]) != 0;
}

// Writes what is gathered; the caller holds the mutex. On failure the bytes are dropped too:
// their transaction fails, and SQLite writes its frames again, at the same offsets, if it retries.
int write_out(WalFile* f) {
    Gathering& g = *f->gathering;
    if (g.bytes.empty()) return SQLITE_OK;
    g_written.fetch_add(1, std::memory_order_relaxed);
    const int rc = f->inner->pMethods->xWrite(f->inner, g.bytes.data(), static_cast<int>(g.bytes.size()), g.offset);
    g.bytes.clear();
    return rc;
}

int flushed(WalFile* f) {
    std::lock_guard lock(f->gathering->mutex);
    return write_out(f);
}

int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
    WalFile* f = wal(file);
    Gathering& g = *f->gathering;
    std::lock_guard lock(g.mutex);
    g_asked.fetch_add(1, std::memory_order_relaxed);
    const auto size = static_cast<std::size_t>(amount);
    const bool continues = offset == g.offset + static_cast<sqlite3_int64>(g.bytes.size());
    // (A single write is at most a frame header or a page, 64 KiB at most, so it always fits a run.)
    if (!g.bytes.empty() && (!continues || g.bytes.size() + size > k_run_max)) {
        if (const int rc = write_out(f); rc != SQLITE_OK) return rc;
    }
    if (g.bytes.empty()) g.offset = offset;
    const auto* bytes = static_cast<const char*>(data);
    try {
        g.bytes.insert(g.bytes.end(), bytes, bytes + size);
    } catch (const std::bad_alloc&) {  // this write fails, so does its transaction: nothing of it is kept
        g.bytes.clear();
        return SQLITE_IOERR_NOMEM;
    }
    const bool commit_header = is_commit_header(data, amount);
    const bool now = commit_header || g.commit_page_next;
    g.commit_page_next = commit_header;
    return now ? write_out(f) : SQLITE_OK;
}

int wal_close(sqlite3_file* file) {
    WalFile* f = wal(file);
    const int written = flushed(f);
    const int closed = f->inner->pMethods->xClose(f->inner);
    unlist(f->gathering);
    delete f->gathering;
    f->gathering = nullptr;
    return written != SQLITE_OK ? written : closed;
}

int wal_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
    WalFile* f = wal(file);
    if (const int rc = flushed(f); rc != SQLITE_OK) return rc;
    return f->inner->pMethods->xRead(f->inner, out, amount, offset);
}

int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
    WalFile* f = wal(file);
    if (const int rc = flushed(f); rc != SQLITE_OK) return rc;
    return f->inner->pMethods->xTruncate(f->inner, size);
}

int wal_sync(sqlite3_file* file, int flags) {
    WalFile* f = wal(file);
    if (const int rc = flushed(f); rc != SQLITE_OK) return rc;
    return f->inner->pMethods->xSync(f->inner, flags);
}

int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
    WalFile* f = wal(file);
    if (const int rc = flushed(f); rc != SQLITE_OK) return rc;
    return f->inner->pMethods->xFileSize(f->inner, size);
}

int wal_lock(sqlite3_file* file, int level) { return wal(file)->inner->pMethods->xLock(wal(file)->inner, level); }
int wal_unlock(sqlite3_file* file, int level) { return wal(file)->inner->pMethods->xUnlock(wal(file)->inner, level); }
int wal_check_reserved_lock(sqlite3_file* file, int* out) {
    return wal(file)->inner->pMethods->xCheckReservedLock(wal(file)->inner, out);
}

int wal_file_control(sqlite3_file* file, int op, void* arg) {
    WalFile* f = wal(file);
    if (const int rc = flushed(f); rc != SQLITE_OK) return rc;
    return f->inner->pMethods->xFileControl(f->inner, op, arg);
}

int wal_sector_size(sqlite3_file* file) { return wal(file)->inner->pMethods->xSectorSize(wal(file)->inner); }
int wal_device_characteristics(sqlite3_file* file) {
    return wal(file)->inner->pMethods->xDeviceCharacteristics(wal(file)->inner);
}

// Version 1: SQLite maps shared memory and pages only through the database file, never the WAL.
const sqlite3_io_methods k_wal_methods = {
    1,
    wal_close,
    wal_read,
    wal_write,
    wal_truncate,
    wal_sync,
    wal_file_size,
    wal_lock,
    wal_unlock,
    wal_check_reserved_lock,
    wal_file_control,
    wal_sector_size,
    wal_device_characteristics,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
};

int gathering_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    sqlite3_vfs* inner = inner_vfs(vfs);
    // Everything but a WAL file is the default VFS's own file, in the block SQLite gave us.
    if ((flags & SQLITE_OPEN_WAL) == 0) return inner->xOpen(inner, name, file, flags, out_flags);
    auto* f = wal(file);
    f->base.pMethods = nullptr;  // SQLite closes a file only when its methods are set
    f->inner = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + k_inner_offset);
    const int rc = inner->xOpen(inner, name, f->inner, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (f->inner->pMethods) f->inner->pMethods->xClose(f->inner);
        return rc;
    }
    f->gathering = new (std::nothrow) Gathering;
    if (!f->gathering) {
        f->inner->pMethods->xClose(f->inner);
        return SQLITE_NOMEM;
    }
    list_open(f->gathering);
    f->base.pMethods = &k_wal_methods;
    return SQLITE_OK;
}

int forward_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
    return inner_vfs(vfs)->xDelete(inner_vfs(vfs), name, sync_dir);
}
int forward_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
    return inner_vfs(vfs)->xAccess(inner_vfs(vfs), name, flags, out);
}
int forward_full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
    return inner_vfs(vfs)->xFullPathname(inner_vfs(vfs), name, size, out);
}
int forward_randomness(sqlite3_vfs* vfs, int size, char* out) {
    return inner_vfs(vfs)->xRandomness(inner_vfs(vfs), size, out);
}
int forward_sleep(sqlite3_vfs* vfs, int microseconds) { return inner_vfs(vfs)->xSleep(inner_vfs(vfs), microseconds); }
int forward_current_time(sqlite3_vfs* vfs, double* out) { return inner_vfs(vfs)->xCurrentTime(inner_vfs(vfs), out); }
int forward_last_error(sqlite3_vfs* vfs, int size, char* out) {
    return inner_vfs(vfs)->xGetLastError(inner_vfs(vfs), size, out);
}
int forward_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
    return inner_vfs(vfs)->xCurrentTimeInt64(inner_vfs(vfs), out);
}

}  // namespace

bool install_wal_write_gathering() {
    static const bool installed = [] {
        sqlite3_vfs* inner = sqlite3_vfs_find(nullptr);
        if (!inner) return false;
        static sqlite3_vfs vfs{};
        vfs.iVersion = 2;
        vfs.szOsFile = static_cast<int>(k_inner_offset) + inner->szOsFile;
        vfs.mxPathname = inner->mxPathname;
        vfs.zName = "rewardd-wal-gathering";
        vfs.pAppData = inner;
        vfs.xOpen = gathering_open;
        vfs.xDelete = forward_delete;
        vfs.xAccess = forward_access;
        vfs.xFullPathname = forward_full_pathname;
        vfs.xRandomness = forward_randomness;
        vfs.xSleep = forward_sleep;
        vfs.xCurrentTime = forward_current_time;
        vfs.xGetLastError = forward_last_error;
        // Without it SQLite asks xCurrentTime instead, as it would the default VFS.
        if (inner->iVersion >= 2 && inner->xCurrentTimeInt64) vfs.xCurrentTimeInt64 = forward_current_time_int64;
        return sqlite3_vfs_register(&vfs, 1) == SQLITE_OK;
    }();
    return installed;
}

void release_idle_wal_buffers() {
    std::lock_guard lock(g_open_mutex);
    for (Gathering* g = g_open; g; g = g->next) {
        std::lock_guard file_lock(g->mutex);
        if (g->bytes.empty()) std::vector<char>().swap(g->bytes);
    }
}

WalBuffers wal_buffers() {
    std::lock_guard lock(g_open_mutex);
    WalBuffers total;
    for (Gathering* g = g_open; g; g = g->next) {
        std::lock_guard file_lock(g->mutex);
        total.reserved += g->bytes.capacity();
        total.unwritten += g->bytes.size();
    }
    return total;
}

WalWriteCounts wal_write_counts() {
    return {g_asked.load(std::memory_order_relaxed), g_written.load(std::memory_order_relaxed)};
}

}  // namespace rewardd
