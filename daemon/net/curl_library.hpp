// libcurl, opened on the first outgoing request and closed again once outgoing HTTP has been idle
// for a while (issue 7's idle footprint). Debian's libcurl brings about 25 libraries (GnuTLS,
// which initialises itself in a constructor, Kerberos, LDAP, libssh2, librtmp, nghttp2, ...):
// about 4 MiB resident that a daemon between deliveries does not need. Closing means
// curl_global_cleanup, dlclose (which unmaps every library libcurl brought in, except those marked
// NODELETE: libssl and libcrypto, which the daemon has loaded anyway, and p11-kit with libffi),
// then malloc_trim(0) to hand the heap they freed back to the system.
//
// Every request holds a lease for as long as it runs; libcurl is closed only when no lease is
// held and none was released for `idle_unload_after`, by a thread started with the first load.
// The next request opens it again.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace rewardd {

struct CurlFunctions;

class CurlLibrary;

// libcurl held open for one request. Moves, never copies.
class CurlLease {
public:
    CurlLease(CurlLease&& other) noexcept;
    CurlLease& operator=(CurlLease&&) = delete;
    CurlLease(const CurlLease&) = delete;
    ~CurlLease();

    // Null when libcurl could not be opened (the error is what acquire() was given).
    const CurlFunctions* functions() const { return m_functions; }
    // Keeps libcurl loaded for the rest of the process once this lease ends: a request that timed
    // out before its host name was resolved leaves libcurl's resolver thread behind, still running
    // libcurl's code after curl_easy_cleanup (until getaddrinfo returns, which no timeout of ours
    // bounds).
    void pin() { m_pin = true; }

private:
    friend class CurlLibrary;
    CurlLease(CurlLibrary* owner, const CurlFunctions* functions) : m_owner(owner), m_functions(functions) {}

    CurlLibrary* m_owner;
    const CurlFunctions* m_functions;
    bool m_pin = false;
};

class CurlLibrary {
public:
    using Clock = std::chrono::steady_clock;
    // Deliveries come in bursts (a batch of orders, retries a few seconds apart): half a minute
    // without a request keeps a burst on one load, and a daemon that delivers a reward now and then
    // spends nearly all its time without libcurl. Reopening costs a few milliseconds.
    static constexpr std::chrono::seconds k_idle_unload_after{30};

    explicit CurlLibrary(Clock::duration idle_unload_after = k_idle_unload_after);
    ~CurlLibrary();  // stops the unloader and closes libcurl unless pinned; no lease may be held any more
    CurlLibrary(const CurlLibrary&) = delete;
    CurlLibrary& operator=(const CurlLibrary&) = delete;

    // Opens libcurl (and runs curl_global_init) unless it is open; thread-safe. On failure the
    // lease holds no functions and `error` says why.
    CurlLease acquire(std::string& error);
    // Closes libcurl now if no lease is held, none was released for `idle` and it is not pinned;
    // true when it did. The unloader thread calls it; tests call it to force an unload.
    bool unload_if_idle(Clock::duration idle);

    bool loaded() const;
    std::uint64_t loads() const;    // times libcurl was opened
    std::uint64_t unloads() const;  // times it was closed
    // Waits until the unloader has closed libcurl `count` times in all, or `limit` has passed.
    bool wait_for_unloads(std::uint64_t count, Clock::duration limit) const;

private:
    friend class CurlLease;
    struct Handle;

    void release(bool pin);
    bool close_if_idle_locked(Clock::duration idle);
    void run_unloader();

    const Clock::duration m_idle_unload_after;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    std::unique_ptr<Handle> m_handle;  // null while closed
    int m_in_flight = 0;
    bool m_pinned = false;
    bool m_stopping = false;
    Clock::time_point m_last_release{};
    std::uint64_t m_loads = 0;
    std::uint64_t m_unloads = 0;
    std::thread m_unloader;  // started with the first load
};

// The process's libcurl (its global state is one per process), with the default idle delay.
// Never destroyed: a request may still be running on another thread while the process exits.
CurlLibrary& curl_library();

}  // namespace rewardd
