// The daemon's HTTP surface: routes, limits and the access log. Owns the cpp-httplib server.
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/event_intake.hpp"
#include "metrics/daemon_metrics.hpp"

namespace rewardd {

struct HttpOptions {
    std::string host = "127.0.0.1";
    int port = 8080;
    int threads = 8;  // at most; started as connections come (http/worker_pool.hpp)
    std::size_t body_bytes_max = 1048576;
    std::string access_log_level = "info";
    std::string tls_cert;  // PEM paths; both set: HTTPS (cpp-httplib's OpenSSL server)
    std::string tls_key;
    // A worker with no connection for this long ends. Well under the writer's idle shed (30 s),
    // so the shed's malloc_trim finds the ended workers' freed blocks.
    std::int64_t worker_idle_exit_ms = 5000;
};

class HttpServer {
public:
    HttpServer(HttpOptions options, EventIntake& intake, std::function<bool()> ready);

    // Binds; false with a logged reason when the address is taken or invalid.
    bool bind();
    // Serves until stop() (blocking).
    void serve();
    void stop();
    // Adds a POST route owned elsewhere (platform webhooks); call before serve().
    void add_post_route(const std::string& pattern, httplib::Server::Handler handler);
    // The same for GET and DELETE (the /api/v1 routes, http/api_routes.*).
    void add_get_route(const std::string& pattern, httplib::Server::Handler handler);
    void add_delete_route(const std::string& pattern, httplib::Server::Handler handler);
    // Counts every answer by route pattern and status (GET /metrics); call before serve().
    void set_metrics(metrics::HttpMetrics* metrics) { m_metrics = metrics; }

private:
    void install_routes();

    HttpOptions m_options;
    EventIntake& m_intake;
    std::function<bool()> m_ready;
    std::unique_ptr<httplib::Server> m_server;  // an httplib::SSLServer when TLS is configured
    metrics::HttpMetrics* m_metrics = nullptr;
    socket_t m_listen_socket = INVALID_SOCKET;
};

}  // namespace rewardd
