// Process control for end-to-end tests (fork/exec, signals, pipes).
#include "daemon_process.hpp"

#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "net/signature.hpp"

namespace rewardd::test {

TempDir::TempDir() {
    std::random_device rd;
    m_path = std::filesystem::temp_directory_path() / ("rewardd-test-" + std::to_string(rd()) + std::to_string(getpid()));
    std::filesystem::create_directories(m_path);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

std::vector<std::string> config_args(const TempDir& dir, const std::string& toml) {
    const std::string path = dir.str() + "/rewardd.toml";
    std::ofstream(path) << toml;
    return {"--config", path};
}

int free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    const int port = ntohs(addr.sin_port);
    close(fd);
    return port;
}

std::string rewardd_binary() { return REWARDD_BIN_PATH; }

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string sign(const std::string& secret, const std::string& body) { return hmac_sha256_base64(secret, body); }

CommandResult run_rewardd(const std::vector<std::string>& args) {
    TempDir capture;
    const std::string out_path = (capture.path() / "out").string();
    const std::string err_path = (capture.path() / "err").string();
    const pid_t pid = fork();
    if (pid == 0) {
        freopen(out_path.c_str(), "w", stdout);
        freopen(err_path.c_str(), "w", stderr);
        std::vector<char*> argv;
        std::string bin = rewardd_binary();
        argv.push_back(bin.data());
        std::vector<std::string> copy = args;
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(bin.c_str(), argv.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out_path), read_file(err_path)};
}

DaemonProcess::DaemonProcess(std::string data_dir, std::vector<std::string> extra_args, Scheme scheme)
    : m_data_dir(std::move(data_dir)), m_extra(std::move(extra_args)), m_scheme(scheme) {
    m_log_path = m_data_dir + "/daemon.log";
    start();
}

DaemonProcess::~DaemonProcess() {
    if (m_pid > 0) kill_hard();
}

void DaemonProcess::start() {
    m_port = free_port();
    const pid_t pid = fork();
    if (pid == 0) {
        freopen(m_log_path.c_str(), "a", stdout);
        freopen(m_log_path.c_str(), "a", stderr);
        std::vector<std::string> args{rewardd_binary(), "serve", "--data", m_data_dir, "--listen",
                                      "127.0.0.1:" + std::to_string(m_port)};
        args.insert(args.end(), m_extra.begin(), m_extra.end());
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    m_pid = pid;
    auto cli = client();
    for (int i = 0; i < 200; ++i) {
        if (auto res = cli.Get("/healthz"); res && res->status == 200) return;
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            throw std::runtime_error("rewardd exited at start:\n" + log());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    throw std::runtime_error("rewardd did not answer /healthz:\n" + log());
}

void DaemonProcess::stop_gracefully() {
    if (m_pid <= 0) return;
    kill(m_pid, SIGTERM);
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m_pid = -1;
}

void DaemonProcess::kill_hard() {
    if (m_pid <= 0) return;
    kill(m_pid, SIGKILL);
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_exit_code = -1;
    m_pid = -1;
}

httplib::Client DaemonProcess::client() const {
    const char* scheme = m_scheme == Scheme::https ? "https://" : "http://";
    httplib::Client cli(scheme + std::string("127.0.0.1:") + std::to_string(m_port));
    cli.enable_server_certificate_verification(false);  // the tests' certificate is self-signed
    cli.set_connection_timeout(2, 0);
    cli.set_read_timeout(10, 0);
    return cli;
}

std::string DaemonProcess::log() const { return read_file(m_log_path); }

}  // namespace rewardd::test
