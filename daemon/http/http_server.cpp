// Route table and server settings.
#include "http_server.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cerrno>

#include "http/json_response.hpp"
#include "http/request_id.hpp"
#include "http/utf8_check.hpp"
#include "http/worker_pool.hpp"

namespace rewardd {
namespace {

// Connections the kernel completes and holds for the accepting thread (capped by somaxconn).
constexpr int k_listen_backlog = 512;

// The pattern of the route handling this thread's request (set by the route wrappers below,
// read by the access log), so /metrics counts by pattern, never by raw path.
thread_local const char* t_route = nullptr;

// A route pattern as a metrics label: each regex group becomes {} ("/api/v1/customers/{}").
std::string route_label(const std::string& pattern) {
    std::string label;
    int depth = 0;
    for (const char c : pattern) {
        if (c == '(' && depth++ == 0) label += "{}";
        else if (c == ')' && depth > 0) --depth;
        else if (depth == 0) label += c;
    }
    return label;
}

// Runs a route's handler with its pattern recorded.
httplib::Server::Handler counted(const std::string& pattern, httplib::Server::Handler handler) {
    return [label = route_label(pattern), handler = std::move(handler)](const httplib::Request& req,
                                                                        httplib::Response& res) {
        t_route = label.c_str();
        handler(req, res);
    };
}

std::unique_ptr<httplib::Server> make_server(const HttpOptions& options) {
    if (options.tls_cert.empty()) return std::make_unique<httplib::Server>();
    return std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
}

}  // namespace

HttpServer::HttpServer(HttpOptions options, EventIntake& intake, std::function<bool()> ready)
    : m_options(std::move(options)), m_intake(intake), m_ready(std::move(ready)), m_server(make_server(m_options)) {
    m_server->new_task_queue = [threads = static_cast<std::size_t>(m_options.threads),
                                idle_exit = std::chrono::milliseconds(m_options.worker_idle_exit_ms)] {
        return new WorkerPool(threads, idle_exit);
    };
    m_server->set_payload_max_length(m_options.body_bytes_max);
    m_server->set_read_timeout(10, 0);
    m_server->set_write_timeout(10, 0);
    // Answers go out as header and body writes; without this, Nagle holds the body back until
    // the client's delayed ACK (40 ms) on every keep-alive request.
    m_server->set_tcp_nodelay(true);
    // httplib closes a keep-alive connection after 5 requests by default; a platform sending a
    // burst then pays a new connection (and we a new stream buffer) every fifth delivery.
    m_server->set_keep_alive_max_count(100);
    // A connection holds its worker while it waits for its next request (httplib: 5 s). With every
    // worker held by a sender gone quiet, a new delivery waited those 5 s, the whole of a
    // platform's answer deadline. After 1 s quiet the connection is closed and the worker freed; a
    // busy sender's next request comes long before that.
    m_server->set_keep_alive_timeout(1);
    // Remembers the listening socket (the last one httplib configures is the one it binds), so
    // that bind() can give it a deeper accept queue.
    m_server->set_socket_options([this](socket_t sock) {
        httplib::default_socket_options(sock);
        m_listen_socket = sock;
    });
    const auto level = spdlog::level::from_str(m_options.access_log_level);
    // Every request gets its id before routing, so the handler's log lines carry it too.
    m_server->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
        t_route = nullptr;
        set_current_request_id(request_id_for(req));
        res.set_header("X-Request-Id", current_request_id());
        return httplib::Server::HandlerResponse::Unhandled;
    });
    // Counted once the status is final and before the answer is written, so a client that has its
    // answer also finds it counted.
    m_server->set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
        if (m_metrics) m_metrics->requests.add({t_route ? t_route : "other", std::to_string(res.status)});
    });
    m_server->set_logger([level](const httplib::Request& req, const httplib::Response& res) {
        // Path and status only: query strings and bodies may carry e-mails or tokens. spdlog
        // writes a message logged at level "off" (labelled [off]), so "off" is checked here.
        if (level != spdlog::level::off) {
            spdlog::log(level, "http: {} {} status={} bytes={}", req.method, req.path, res.status, req.body.size());
        }
        t_route = nullptr;
        set_current_request_id({});
    });
    m_server->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        spdlog::error("http: unhandled exception error={}", what);
        send_error(res, 500, make_error(ErrorCode::storage_unavailable, "internal error"));
    });
    install_routes();
}

void HttpServer::install_routes() {
    add_get_route("/healthz", [](const httplib::Request&, httplib::Response& res) {
        send_json(res, 200, {{"status", "ok"}});
    });
    add_get_route("/readyz", [this](const httplib::Request&, httplib::Response& res) {
        const bool ready = m_ready();
        send_json(res, ready ? 200 : 503, {{"status", ready ? "ready" : "not_ready"}});
    });
    add_post_route("/api/v1/events", [this](const httplib::Request& req, httplib::Response& res) {
        m_intake.handle(req, res);
    });
    m_server->set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return;
        if (res.status == 413) {
            send_error(res, 413, make_error(ErrorCode::body_too_large, "request body is over the limit"));
        } else if (res.status == 404) {
            send_error(res, 404, make_error(ErrorCode::not_found, "no such route"));
        }
    });
}

bool HttpServer::bind() {
    if (!m_server->is_valid()) {
        spdlog::error("http: cannot load the TLS certificate {} or key {}", m_options.tls_cert, m_options.tls_key);
        return false;
    }
    if (!m_server->bind_to_port(m_options.host.c_str(), m_options.port)) {
        spdlog::error("http: cannot listen on {}:{}", m_options.host, m_options.port);
        return false;
    }
    // httplib listens with a backlog of 5. A platform opening more connections at once than that,
    // while the accepting thread starts a worker, had its SYNs dropped: the sender retried after
    // TCP's 1 s, or failed. Listening again on a listening socket only changes its backlog.
    if (::listen(m_listen_socket, k_listen_backlog) != 0) {
        spdlog::warn("http: cannot deepen the accept queue errno={}", errno);
    }
    return true;
}

void HttpServer::serve() { m_server->listen_after_bind(); }

void HttpServer::stop() { m_server->stop(); }

void HttpServer::add_post_route(const std::string& pattern, httplib::Server::Handler handler) {
    // Every body we take is JSON, so it must be UTF-8; invalid bytes never reach a parser or a log.
    m_server->Post(pattern, counted(pattern, [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
        if (!is_valid_utf8(req.body)) {
            return send_error(res, 400, make_error(ErrorCode::malformed_json, "the body is not valid UTF-8", "body"));
        }
        handler(req, res);
    }));
}

void HttpServer::add_get_route(const std::string& pattern, httplib::Server::Handler handler) {
    m_server->Get(pattern, counted(pattern, std::move(handler)));
}

void HttpServer::add_delete_route(const std::string& pattern, httplib::Server::Handler handler) {
    m_server->Delete(pattern, counted(pattern, std::move(handler)));
}

}  // namespace rewardd
