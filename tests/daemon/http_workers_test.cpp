// Each open connection holds one of the http_threads workers. Platforms give a delivery 5 s
// (Shopify: connect within 1 s, answer within 5 s; WooCommerce: WordPress's 5 s timeout), so a
// worker kept by a connection that went quiet must come back well within that, or a new sender
// finds every worker held by idle keep-alive connections and times out.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <elf.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "net/outgoing_http_support.hpp"
#include "support/daemon_process.hpp"

using namespace rewardd::test;

namespace {

std::size_t thread_count(int pid) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) ++n;
    return n;
}

// A connection started without waiting; -1 when no socket could be made.
int start_connect(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);  // EINPROGRESS
    return fd;
}

// Whether the kernel completed the handshake within `ms`.
bool established_within(int fd, int ms) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, ms) != 1) return false;
    int error = 0;
    socklen_t length = sizeof error;
    return ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0;
}

// Sends a GET /healthz that closes the connection and reads the whole answer (up to `ms`).
std::string healthz_over(int fd, int ms) {
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    ::fcntl(fd, F_SETFL, 0);
    timeval timeout{ms / 1000, (ms % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) return {};
    std::string answer;
    char buffer[1024];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, static_cast<std::size_t>(n));
    return answer;
}

}  // namespace

TEST_CASE("a sender finding every worker held by idle keep-alive connections is answered within the platforms' 5 s") {
    TempDir dir;
    DaemonProcess daemon(dir.str(), config_args(dir, "http_threads = 2\naccess_log_level = \"off\"\n"));
    std::vector<httplib::Client> idle;
    for (int i = 0; i < 2; ++i) {
        idle.push_back(daemon.client());
        idle.back().set_keep_alive(true);
        REQUIRE(idle.back().Get("/healthz"));  // answered, then left open and quiet
    }
    auto late = daemon.client();
    late.set_connection_timeout(4, 0);
    late.set_read_timeout(4, 0);  // a platform's 5 s, less a margin for a loaded machine
    auto res = late.Get("/healthz");
    REQUIRE(res);
    CHECK(res->status == 200);
    // The quiet connections were closed by the server, and their senders just reconnect.
    for (auto& c : idle) {
        auto again = c.Get("/healthz");
        REQUIRE(again);
        CHECK(again->status == 200);
    }
}

// Workers are started as connections come and end 5 s after their last one (the idle shed then
// gives their memory back); a fixed pool would keep all of them for the daemon's lifetime.
TEST_CASE("the daemon's HTTP workers end once their senders have gone quiet, and start again for new ones") {
    TempDir dir;
    DaemonProcess daemon(dir.str(), config_args(dir, "http_threads = 6\naccess_log_level = \"off\"\n"));
    const auto busy_burst = [&] {
        std::vector<httplib::Client> senders;
        for (int i = 0; i < 4; ++i) {
            senders.push_back(daemon.client());
            senders.back().set_keep_alive(true);
            REQUIRE(senders.back().Get("/healthz"));  // each keeps its connection, and so a worker
        }
        return thread_count(daemon.pid());
    };
    const std::size_t during = busy_burst();
    // The four connections closed; their workers end within the exit delay.
    CHECK(eventually([&] { return thread_count(daemon.pid()) + 4 <= during; }));
    const std::size_t again = busy_burst();
    CHECK(again >= during - 1);
    auto res = daemon.client().Get("/healthz");
    REQUIRE(res);
    CHECK(res->status == 200);
}

// glibc sets up (zeroes) the executable's static thread-local storage for every thread it
// starts, so it is resident once per HTTP worker, idle thread and kept stack: a 20 KB table there
// once cost an idle daemon about 300 KiB after a burst. Large per-thread state belongs on the heap,
// made by the threads that use it.
TEST_CASE("the daemon's static thread-local storage stays small, since every thread it starts holds a copy") {
    std::ifstream in(rewardd_binary(), std::ios::binary);
    Elf64_Ehdr header{};
    REQUIRE(in.read(reinterpret_cast<char*>(&header), sizeof header));
    REQUIRE(std::string(reinterpret_cast<const char*>(header.e_ident), 4) == "\x7f" "ELF");
    std::size_t tls_bytes = 0;
    for (int i = 0; i < header.e_phnum; ++i) {
        Elf64_Phdr segment{};
        in.seekg(static_cast<std::streamoff>(header.e_phoff + static_cast<std::uint64_t>(i) * header.e_phentsize));
        REQUIRE(in.read(reinterpret_cast<char*>(&segment), sizeof segment));
        // (resolv.h, through httplib, defines p_type as a macro, so the member is read by offset)
        Elf64_Word type = 0;
        std::memcpy(&type, &segment, sizeof type);
        if (type == PT_TLS) tls_bytes = segment.p_memsz;
    }
    CHECK(tls_bytes > 0);  // the daemon has some (request ids): the segment was found
    CHECK(tls_bytes <= 1024);
}

// httplib listens with a backlog of 5: when more senders connect at once than the accepting thread
// takes in time, the kernel drops their SYNs and each waits for TCP's retry (1 s) or fails. The
// daemon is stopped (SIGSTOP) so that nothing is accepted; what the kernel holds meanwhile is
// the backlog.
TEST_CASE("senders connecting at once while the daemon cannot accept are held in its accept queue, not dropped") {
    TempDir dir;
    DaemonProcess daemon(dir.str(), config_args(dir, "http_threads = 2\naccess_log_level = \"off\"\n"));
    constexpr int k_senders = 24;
    REQUIRE(::kill(daemon.pid(), SIGSTOP) == 0);
    std::vector<int> fds;
    for (int i = 0; i < k_senders; ++i) fds.push_back(start_connect(daemon.port()));
    int established = 0;
    for (const int fd : fds) established += fd >= 0 && established_within(fd, 300) ? 1 : 0;
    REQUIRE(::kill(daemon.pid(), SIGCONT) == 0);
    CHECK(established == k_senders);
    int answered = 0;
    for (const int fd : fds) {
        if (fd >= 0 && healthz_over(fd, 10000).rfind("HTTP/1.1 200", 0) == 0) ++answered;
        if (fd >= 0) ::close(fd);
    }
    CHECK(answered == established);
}
