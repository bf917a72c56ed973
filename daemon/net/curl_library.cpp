// Opening and closing libcurl with dlopen/dlclose; leases count the requests in flight.
#include "curl_library.hpp"

#include <dlfcn.h>
#include <malloc.h>

#include "curl_functions.hpp"

namespace rewardd {
namespace {

// The soname of the ABI curl.h describes (libcurl's has been 4 since 2006).
constexpr const char* k_soname = "libcurl.so.4";

template <typename F>
bool resolve(void* dl, const char* name, F& out, std::string& error) {
    out = reinterpret_cast<F>(dlsym(dl, name));
    if (!out) error = std::string("libcurl: missing ") + name;
    return out != nullptr;
}

bool resolve_all(void* dl, CurlFunctions& f, std::string& e) {
    return resolve(dl, "curl_global_init", f.global_init, e) && resolve(dl, "curl_global_cleanup", f.global_cleanup, e) &&
           resolve(dl, "curl_easy_init", f.easy_init, e) && resolve(dl, "curl_easy_setopt", f.easy_setopt, e) &&
           resolve(dl, "curl_easy_perform", f.easy_perform, e) && resolve(dl, "curl_easy_getinfo", f.easy_getinfo, e) &&
           resolve(dl, "curl_easy_strerror", f.easy_strerror, e) && resolve(dl, "curl_easy_cleanup", f.easy_cleanup, e) &&
           resolve(dl, "curl_slist_append", f.slist_append, e) && resolve(dl, "curl_slist_free_all", f.slist_free_all, e);
}

}  // namespace

struct CurlLibrary::Handle {
    void* dl = nullptr;
    CurlFunctions functions;

    static std::unique_ptr<Handle> open(std::string& error) {
        auto handle = std::make_unique<Handle>();
        handle->dl = dlopen(k_soname, RTLD_NOW | RTLD_LOCAL);
        if (!handle->dl) {
            const char* why = dlerror();
            error = std::string("cannot load ") + k_soname + ": " + (why ? why : "unknown error");
            return nullptr;
        }
        if (!resolve_all(handle->dl, handle->functions, error)) {
            dlclose(handle->dl);
            return nullptr;
        }
        if (handle->functions.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            error = "curl_global_init failed";
            dlclose(handle->dl);
            return nullptr;
        }
        return handle;
    }

    ~Handle() {
        functions.global_cleanup();
        dlclose(dl);
        malloc_trim(0);  // the heap libcurl's libraries freed, back to the system
    }
};

CurlLease::CurlLease(CurlLease&& other) noexcept
    : m_owner(other.m_owner), m_functions(other.m_functions), m_pin(other.m_pin) {
    other.m_owner = nullptr;
    other.m_functions = nullptr;
}

CurlLease::~CurlLease() {
    if (m_owner && m_functions) m_owner->release(m_pin);
}

CurlLibrary::CurlLibrary(Clock::duration idle_unload_after) : m_idle_unload_after(idle_unload_after) {}

CurlLibrary::~CurlLibrary() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_unloader.joinable()) m_unloader.join();
    // A pinned libcurl may still have a resolver thread running its code: leave it mapped.
    if (m_pinned) static_cast<void>(m_handle.release());
    m_handle.reset();
}

CurlLease CurlLibrary::acquire(std::string& error) {
    std::lock_guard lock(m_mutex);
    if (!m_handle) {
        m_handle = Handle::open(error);
        if (!m_handle) return CurlLease(this, nullptr);
        ++m_loads;
        if (!m_unloader.joinable()) m_unloader = std::thread([this] { run_unloader(); });
    }
    ++m_in_flight;
    return CurlLease(this, &m_handle->functions);
}

void CurlLibrary::release(bool pin) {
    {
        std::lock_guard lock(m_mutex);
        --m_in_flight;
        m_last_release = Clock::now();
        m_pinned = m_pinned || pin;
    }
    m_changed.notify_all();
}

bool CurlLibrary::unload_if_idle(Clock::duration idle) {
    bool closed = false;
    {
        std::lock_guard lock(m_mutex);
        closed = close_if_idle_locked(idle);
    }
    if (closed) m_changed.notify_all();
    return closed;
}

bool CurlLibrary::close_if_idle_locked(Clock::duration idle) {
    if (!m_handle || m_pinned || m_in_flight > 0 || Clock::now() - m_last_release < idle) return false;
    m_handle.reset();
    ++m_unloads;
    return true;
}

// Sleeps while libcurl is closed, in use or pinned; otherwise until the idle delay has passed
// since the last request ended, then closes it (unless a request came meanwhile).
void CurlLibrary::run_unloader() {
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        if (!m_handle || m_pinned || m_in_flight > 0) {
            m_changed.wait(lock);
        } else if (close_if_idle_locked(m_idle_unload_after)) {
            m_changed.notify_all();
        } else {
            m_changed.wait_until(lock, m_last_release + m_idle_unload_after);
        }
    }
}

bool CurlLibrary::loaded() const {
    std::lock_guard lock(m_mutex);
    return m_handle != nullptr;
}

std::uint64_t CurlLibrary::loads() const {
    std::lock_guard lock(m_mutex);
    return m_loads;
}

std::uint64_t CurlLibrary::unloads() const {
    std::lock_guard lock(m_mutex);
    return m_unloads;
}

bool CurlLibrary::wait_for_unloads(std::uint64_t count, Clock::duration limit) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, limit, [&] { return m_unloads >= count; });
}

CurlLibrary& curl_library() {
    static auto* library = new CurlLibrary();
    return *library;
}

}  // namespace rewardd
