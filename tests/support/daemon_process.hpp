// Starts the real `rewardd` binary for end-to-end tests: a free loopback port, a temporary data
// folder, and helpers to run CLI commands against the same data and to sign requests.
#pragma once

#include <httplib.h>

#include <filesystem>
#include <string>
#include <vector>

namespace rewardd::test {

// A fresh temporary folder, removed with the object.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const { return m_path; }
    std::string str() const { return m_path.string(); }

private:
    std::filesystem::path m_path;
};

int free_port();

// Writes `toml` as DIR/rewardd.toml and gives the daemon's arguments that load it.
std::vector<std::string> config_args(const TempDir& dir, const std::string& toml);

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs `rewardd <args...>` and captures stdout/stderr.
CommandResult run_rewardd(const std::vector<std::string>& args);

enum class Scheme { http, https };  // https: the daemon serves TLS (self-signed in tests)

class DaemonProcess {
public:
    // Starts `rewardd serve --data DIR --listen 127.0.0.1:PORT [extra...]` and waits for /healthz.
    explicit DaemonProcess(std::string data_dir, std::vector<std::string> extra_args = {},
                           Scheme scheme = Scheme::http);
    ~DaemonProcess();

    void start();
    void stop_gracefully();  // SIGTERM, waits; returns the exit code via last_exit_code()
    void kill_hard();        // SIGKILL
    int last_exit_code() const { return m_exit_code; }
    int port() const { return m_port; }
    int pid() const { return m_pid; }
    httplib::Client client() const;
    std::string log() const;  // what the daemon printed

private:
    std::string m_data_dir;
    std::vector<std::string> m_extra;
    Scheme m_scheme = Scheme::http;
    int m_port = 0;
    int m_pid = -1;
    int m_exit_code = -1;
    std::string m_log_path;
};

std::string rewardd_binary();
std::string sign(const std::string& secret, const std::string& body);  // base64 HMAC-SHA256
std::string read_file(const std::string& path);

}  // namespace rewardd::test
