// Route table and server settings.
#include "http_server.hpp"

#include <spdlog/spdlog.h>

#include "http/json_response.hpp"
#include "http/utf8_check.hpp"

namespace rewardd {
namespace {

std::unique_ptr<httplib::Server> make_server(const HttpOptions& options) {
    if (options.tls_cert.empty()) return std::make_unique<httplib::Server>();
    return std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
}

}  // namespace

HttpServer::HttpServer(HttpOptions options, EventIntake& intake, std::function<bool()> ready)
    : m_options(std::move(options)), m_intake(intake), m_ready(std::move(ready)), m_server(make_server(m_options)) {
    const int threads = m_options.threads;
    m_server->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    m_server->set_payload_max_length(m_options.body_bytes_max);
    m_server->set_read_timeout(10, 0);
    m_server->set_write_timeout(10, 0);
    const auto level = spdlog::level::from_str(m_options.access_log_level);
    m_server->set_logger([level](const httplib::Request& req, const httplib::Response& res) {
        // Path and status only: query strings and bodies may carry e-mails or tokens.
        spdlog::log(level, "http: {} {} status={} bytes={}", req.method, req.path, res.status, req.body.size());
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
    m_server->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
        send_json(res, 200, {{"status", "ok"}});
    });
    m_server->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
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
    return true;
}

void HttpServer::serve() { m_server->listen_after_bind(); }

void HttpServer::stop() { m_server->stop(); }

void HttpServer::add_post_route(const std::string& pattern, httplib::Server::Handler handler) {
    // Every body we take is JSON, so it must be UTF-8; invalid bytes never reach a parser or a log.
    m_server->Post(pattern, [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
        if (!is_valid_utf8(req.body)) {
            return send_error(res, 400, make_error(ErrorCode::malformed_json, "the body is not valid UTF-8", "body"));
        }
        handler(req, res);
    });
}

void HttpServer::add_get_route(const std::string& pattern, httplib::Server::Handler handler) {
    m_server->Get(pattern, std::move(handler));
}

void HttpServer::add_delete_route(const std::string& pattern, httplib::Server::Handler handler) {
    m_server->Delete(pattern, std::move(handler));
}

}  // namespace rewardd
