// Outgoing HTTP through helper processes, so that the daemon itself never loads libcurl (issue 7's
// idle footprint). Debian's libcurl brings about 25 libraries; closing it again after use
// (net/curl_library.hpp) gives most of their pages back but not all: p11-kit and libffi are
// NODELETE, and OpenSSL's set-up for libcurl stays resident. A `rewardd-http` helper
// (daemon/http_relay_main.cpp) runs the same CurlHttpClient one request at a time and its memory
// goes with it when it exits.
//
// A request takes an idle helper, or starts one (posix_spawn: its own process group, so a Ctrl-C
// meant for the daemon does not cut a delivery short; no descriptor of the daemon's but its
// socket, so it never holds the listening port or the data folder's lock). A helper left idle for
// `idle_exit_after` is told to go (its socket closed) and reaped. A helper that exits, crashes or
// overruns the request's own timeout by `k_answer_grace` is a transport failure of that request
// (`other`, or `timeout`): the request may or may not have reached the platform, exactly as with a
// connection reset, and the callers already treat it so. There are as many helpers as threads
// sending at once (the outbox worker, the category fetcher, the Shopify subscription keeper and
// metafield writer): a handful.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http_client.hpp"

namespace rewardd {

class HttpRelay {
public:
    using Clock = std::chrono::steady_clock;
    // As long as libcurl stayed loaded in-process before (curl_library.hpp): a burst of deliveries
    // shares one helper; starting one costs a few milliseconds.
    static constexpr std::chrono::seconds k_idle_exit_after{30};
    // How long past the request's own timeout (which the helper's libcurl keeps) a silent helper is
    // given before it is killed.
    static constexpr std::chrono::seconds k_answer_grace{10};

    explicit HttpRelay(std::string helper_path, Clock::duration idle_exit_after = k_idle_exit_after);
    ~HttpRelay();  // ends every helper; no request may be in flight any more
    HttpRelay(const HttpRelay&) = delete;
    HttpRelay& operator=(const HttpRelay&) = delete;

    // Thread-safe; transport failures are values, as with CurlHttpClient.
    HttpResponse send(const HttpRequest& request, const CurlOptions& options);

    std::size_t helpers() const;                  // running now, idle or busy
    std::vector<pid_t> helper_pids() const;       // tests
    std::uint64_t started() const;                // helpers started in all
    // Waits until exactly `count` helpers run, or `limit` has passed.
    bool wait_for_helpers(std::size_t count, Clock::duration limit) const;

private:
    struct Helper {
        pid_t pid = -1;
        int fd = -1;
        Clock::time_point idle_since{};
    };

    std::optional<Helper> take(std::string& error);
    std::optional<Helper> start(std::string& error);
    void give_back(Helper helper);
    // Closes its socket (killing it first when asked), reaps it and forgets it.
    void end(const Helper& helper, bool kill_first);
    void forget(pid_t pid);
    void run_reaper();

    const std::string m_helper_path;
    const Clock::duration m_idle_exit_after;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    std::vector<Helper> m_idle;
    std::vector<pid_t> m_running;  // idle and busy
    std::uint64_t m_started = 0;
    bool m_stopping = false;
    std::thread m_reaper;  // started with the first helper
};

class RelayHttpClient final : public HttpClient {
public:
    RelayHttpClient(std::shared_ptr<HttpRelay> relay, CurlOptions options = {});
    HttpResponse send(const HttpRequest& request) override;

private:
    std::shared_ptr<HttpRelay> m_relay;
    CurlOptions m_options;
};

// `rewardd-http` in the folder of the running executable, when it is there and executable.
std::optional<std::string> relay_helper_beside_executable();

}  // namespace rewardd
