// Mirrors HttpServer's settings (thread pool, body limit, timeouts) so the only difference from
// rewardd is the durable store.
#include "ceiling_server.hpp"

#include <httplib.h>

#include "adapters/shopify/webhook_mapper.hpp"
#include "http/json_response.hpp"
#include "net/signature.hpp"

namespace rewardd::bench {

void serve_ceiling(int port, int threads, const std::string& shop_domain, const std::string& secret) {
    httplib::Server server;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    server.set_payload_max_length(1048576);
    server.set_read_timeout(10, 0);
    server.set_write_timeout(10, 0);
    server.set_tcp_nodelay(true);
    server.set_keep_alive_max_count(100);
    server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { send_json(res, 200, {{"status", "ok"}}); });
    server.Post("/webhooks/shopify", [&](const httplib::Request& req, httplib::Response& res) {
        if (req.get_header_value("X-Shopify-Shop-Domain") != shop_domain ||
            !signature_matches(secret, req.body, req.get_header_value("X-Shopify-Hmac-Sha256"))) {
            return send_error(res, 401, make_error(ErrorCode::signature_mismatch, "HMAC does not match"));
        }
        const auto topic = shopify::parse_topic(req.get_header_value("X-Shopify-Topic"));
        if (!topic) return send_json(res, 200, {{"status", "ignored"}});
        auto plan = shopify::plan_webhook(*topic, req.body, "s1", {});
        if (!plan) return send_error(res, 400, plan.error());
        send_json(res, 200, {{"status", "applied"}, {"events", plan->events.size()}, {"new_events", plan->events.size()}});
    });
    server.listen("127.0.0.1", port);
}

}  // namespace rewardd::bench
