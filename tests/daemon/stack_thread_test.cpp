// Work handed to a thread of its own (threads/stack_thread.hpp): it runs there, not on the caller's
// thread, and is finished when the call returns.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "threads/stack_thread.hpp"

TEST_CASE("work run on its own thread runs there and is done when the call returns") {
    const auto caller = std::this_thread::get_id();
    std::thread::id ran_on;
    std::vector<std::string> made;
    rewardd::run_on_own_thread_then_trim(
        [&] {
            ran_on = std::this_thread::get_id();
            for (int i = 0; i < 1000; ++i) made.push_back(std::string(100, 'x'));
        },
        "a test");
    CHECK(ran_on != std::thread::id{});
    CHECK(ran_on != caller);
    CHECK(made.size() == 1000);  // the blocks the thread made outlive it: only its cache of freed ones goes
}

TEST_CASE("a stack thread joins once, by join or at its end") {
    int runs = 0;
    {
        rewardd::StackThread t([&] { ++runs; });
        t.join();
        t.join();
    }
    CHECK(runs == 1);
}
