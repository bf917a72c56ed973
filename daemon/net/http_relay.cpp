// Helper processes for outgoing HTTP: started with posix_spawn, one request at a time each, kept
// while busy and for a while after, then told to go.
#include "http_relay.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "relay_frames.hpp"

extern char** environ;

namespace rewardd {
namespace {

std::string errno_text(int error) { return std::strerror(error); }

// Reaps `pid`, killing it when it has not exited within two seconds of being told to (its socket
// closed): an idle helper exits at once, so this only waits on one that is stuck.
void reap(pid_t pid) {
    for (int waited_ms = 0; waited_ms < 2000; waited_ms += 10) {
        const pid_t r = ::waitpid(pid, nullptr, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR)) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
}

// A helper never writes unless asked: an idle one whose socket is readable or hung up has exited.
bool idle_helper_gone(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) != 0;
}

}  // namespace

HttpRelay::HttpRelay(std::string helper_path, Clock::duration idle_exit_after)
    : m_helper_path(std::move(helper_path)), m_idle_exit_after(idle_exit_after) {}

HttpRelay::~HttpRelay() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_reaper.joinable()) m_reaper.join();
    for (const Helper& helper : m_idle) {
        ::close(helper.fd);
        reap(helper.pid);
    }
}

HttpResponse HttpRelay::send(const HttpRequest& request, const CurlOptions& options) {
    HttpResponse response;
    const std::string frame = encode_relay_request(request, options);
    // A helper that exited while idle is found when the request cannot be written to it, before
    // anything was sent: one more helper is tried then.
    std::optional<Helper> helper;
    for (int attempt = 0; attempt < 2 && !helper; ++attempt) {
        helper = take(response.error_message);
        if (!helper) break;
        if (!write_frame(helper->fd, frame)) {
            end(*helper, false);
            response.error_message = "rewardd-http (pid " + std::to_string(helper->pid) + ") had exited";
            helper.reset();
        }
    }
    if (!helper) {
        response.error = TransportError::other;
        return response;
    }
    const auto deadline = Clock::now() + std::chrono::milliseconds(request.timeout_ms) + k_answer_grace;
    std::string answer;
    const FrameRead read = read_frame(helper->fd, answer, deadline);
    std::optional<HttpResponse> decoded;
    if (read == FrameRead::ok) decoded = decode_relay_response(answer);
    if (decoded) {
        give_back(*helper);
        return std::move(*decoded);
    }
    end(*helper, true);
    const std::string who = "rewardd-http (pid " + std::to_string(helper->pid) + ")";
    response.error = read == FrameRead::timed_out ? TransportError::timeout : TransportError::other;
    response.error_message = read == FrameRead::timed_out ? who + " did not answer in time; killed"
                             : read == FrameRead::closed  ? who + " exited during the request"
                                                          : who + " sent an unreadable answer; killed";
    return response;
}

std::optional<HttpRelay::Helper> HttpRelay::take(std::string& error) {
    std::vector<Helper> gone;
    std::optional<Helper> taken;
    {
        std::lock_guard lock(m_mutex);
        while (!m_idle.empty() && !taken) {
            Helper helper = m_idle.back();  // the most recently used: the others may age out
            m_idle.pop_back();
            if (idle_helper_gone(helper.fd)) {
                gone.push_back(helper);
            } else {
                taken = helper;
            }
        }
    }
    for (const Helper& helper : gone) {
        end(helper, false);
    }
    if (taken) return taken;
    return start(error);
}

std::optional<HttpRelay::Helper> HttpRelay::start(std::string& error) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        error = "cannot start rewardd-http: socketpair: " + errno_text(errno);
        return std::nullopt;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], k_relay_helper_fd);
    posix_spawn_file_actions_addclosefrom_np(&actions, k_relay_helper_fd + 1);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int signal : {SIGPIPE, SIGTERM, SIGINT, SIGHUP}) sigaddset(&defaults, signal);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    std::string path = m_helper_path;
    char* argv[] = {path.data(), nullptr};
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, path.c_str(), &actions, &attributes, argv, environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (rc != 0) {
        ::close(fds[0]);
        error = "cannot start " + m_helper_path + ": " + errno_text(rc);
        return std::nullopt;
    }
    {
        std::lock_guard lock(m_mutex);
        m_running.push_back(pid);
        ++m_started;
        if (!m_reaper.joinable()) m_reaper = std::thread([this] { run_reaper(); });
    }
    m_changed.notify_all();
    return Helper{pid, fds[0], {}};
}

void HttpRelay::give_back(Helper helper) {
    helper.idle_since = Clock::now();
    {
        std::lock_guard lock(m_mutex);
        m_idle.push_back(helper);
    }
    m_changed.notify_all();
}

void HttpRelay::end(const Helper& helper, bool kill_first) {
    if (kill_first) ::kill(helper.pid, SIGKILL);
    ::close(helper.fd);
    reap(helper.pid);
    forget(helper.pid);
}

void HttpRelay::forget(pid_t pid) {
    {
        std::lock_guard lock(m_mutex);
        m_running.erase(std::remove(m_running.begin(), m_running.end(), pid), m_running.end());
    }
    m_changed.notify_all();
}

// Sleeps until the longest-idle helper has been idle `m_idle_exit_after`, then closes its socket
// (the helper exits on the end of its input) and reaps it. Once the last one has gone, outgoing
// HTTP is idle: the heap its requests and answers used (in the sending threads' own malloc arenas)
// is handed back to the system.
void HttpRelay::run_reaper() {
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        if (m_idle.empty()) {
            m_changed.wait(lock);
            continue;
        }
        const auto oldest = std::min_element(m_idle.begin(), m_idle.end(), [](const Helper& a, const Helper& b) {
            return a.idle_since < b.idle_since;
        });
        const auto due = oldest->idle_since + m_idle_exit_after;
        if (Clock::now() < due) {
            m_changed.wait_until(lock, due);
            continue;
        }
        const Helper helper = *oldest;
        m_idle.erase(oldest);
        lock.unlock();
        end(helper, false);
        lock.lock();
        if (m_running.empty()) malloc_trim(0);
    }
}

std::size_t HttpRelay::helpers() const {
    std::lock_guard lock(m_mutex);
    return m_running.size();
}

std::vector<pid_t> HttpRelay::helper_pids() const {
    std::lock_guard lock(m_mutex);
    return m_running;
}

std::uint64_t HttpRelay::started() const {
    std::lock_guard lock(m_mutex);
    return m_started;
}

bool HttpRelay::wait_for_helpers(std::size_t count, Clock::duration limit) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, limit, [&] { return m_running.size() == count; });
}

RelayHttpClient::RelayHttpClient(std::shared_ptr<HttpRelay> relay, CurlOptions options)
    : m_relay(std::move(relay)), m_options(std::move(options)) {}

HttpResponse RelayHttpClient::send(const HttpRequest& request) { return m_relay->send(request, m_options); }

std::optional<std::string> relay_helper_beside_executable() {
    char self[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return std::nullopt;
    std::string path(self, static_cast<std::size_t>(n));
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return std::nullopt;
    path = path.substr(0, slash + 1) + "rewardd-http";
    if (::access(path.c_str(), X_OK) != 0) return std::nullopt;
    return path;
}

}  // namespace rewardd
