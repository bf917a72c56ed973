// What the outgoing-HTTP tests (in-process libcurl, rewardd-http helpers) share.
#pragma once

#include <dlfcn.h>

#include <chrono>
#include <functional>
#include <thread>

namespace rewardd::test {

// Whether this process has libcurl mapped: dlopen with RTLD_NOLOAD finds only a loaded library.
inline bool libcurl_mapped() {
    void* handle = dlopen("libcurl.so.4", RTLD_LAZY | RTLD_NOLOAD);
    if (handle) dlclose(handle);
    return handle != nullptr;
}

// Polls `ready` for up to ten seconds.
inline bool eventually(const std::function<bool()>& ready) {
    for (int i = 0; i < 400; ++i) {
        if (ready()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
}

}  // namespace rewardd::test
