#include "stack_thread.hpp"

#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/mman.h>

#include <cerrno>
#include <system_error>

namespace rewardd {
namespace {

// As much as a default thread gets (glibc takes RLIMIT_STACK, 8 MiB here); only the pages used
// become resident. The lowest page is a guard, as glibc's own stacks have.
constexpr std::size_t k_stack_bytes = 8u << 20;
constexpr std::size_t k_guard_bytes = 4096;

}  // namespace

StackThread::StackThread(std::function<void()> fn) : m_fn(std::move(fn)) {
    m_stack = mmap(nullptr, k_stack_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
                   -1, 0);
    if (m_stack == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap of a thread stack");
    mprotect(m_stack, k_guard_bytes, PROT_NONE);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstack(&attr, m_stack, k_stack_bytes);
    const int started = pthread_create(&m_id, &attr, &StackThread::run, this);
    pthread_attr_destroy(&attr);
    if (started != 0) {
        munmap(m_stack, k_stack_bytes);
        throw std::system_error(started, std::generic_category(), "pthread_create");
    }
    m_joinable = true;
}

StackThread::~StackThread() { join(); }

void* StackThread::run(void* self) {
    static_cast<StackThread*>(self)->m_fn();
    return nullptr;
}

void StackThread::join() {
    if (!m_joinable) return;
    pthread_join(m_id, nullptr);
    m_joinable = false;
    munmap(m_stack, k_stack_bytes);  // the thread has ended: nothing runs on it any more
}

void run_on_own_thread_then_trim(const std::function<void()>& fn, const char* what) {
    try {
        StackThread(fn).join();
    } catch (const std::system_error& e) {
        spdlog::warn("cannot start a thread for {}, running it here error={}", what, e.what());
        fn();
    }
    malloc_trim(0);
}

}  // namespace rewardd
