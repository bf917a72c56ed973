// A thread on a stack mapped for it alone, unmapped when the thread is joined. glibc keeps the
// stacks of ended threads for reuse (up to 40 MiB of them), each with its top pages still
// resident; the HTTP workers end whenever they sit idle, so an idle daemon held one such stack for
// every worker its busiest moment started.
#pragma once

#include <pthread.h>

#include <cstddef>
#include <functional>

namespace rewardd {

class StackThread {
public:
    // Starts `fn` on a new thread; throws std::system_error when the system refuses one.
    explicit StackThread(std::function<void()> fn);
    StackThread(const StackThread&) = delete;
    StackThread& operator=(const StackThread&) = delete;
    ~StackThread();  // joins, if not joined yet

    // Waits for the thread to end, then unmaps its stack.
    void join();
    pthread_t id() const { return m_id; }

private:
    static void* run(void* self);

    std::function<void()> m_fn;
    void* m_stack = nullptr;
    pthread_t m_id{};
    bool m_joinable = false;
};

// Runs `fn` on a StackThread and waits for it, then hands the freed heap back (malloc_trim). glibc
// keeps each thread's freed small blocks in a cache of the thread's own (tcache) that the trim
// cannot reach, each block keeping its page resident; a thread that ends returns them to its arena
// first. So work that comes in bursts between quiet spells leaves nothing resident this way. When
// the system refuses a thread, `fn` runs on the caller's (`what` names the work in the warning).
void run_on_own_thread_then_trim(const std::function<void()>& fn, const char* what);

}  // namespace rewardd
