#include "metrics_route.hpp"

namespace rewardd {

void install_metrics_route(HttpServer& server, const metrics::DaemonMetrics& daemon, metrics::StoreGauges& store,
                           std::function<std::int64_t()> now_s) {
    server.add_get_route("/metrics", [&daemon, &store, now_s = std::move(now_s)](const httplib::Request&,
                                                                                  httplib::Response& res) {
        metrics::TextWriter out;
        daemon.render(out);
        store.render(out, now_s());
        res.status = 200;
        res.set_content(out.text(), metrics::k_text_content_type);
    });
}

}  // namespace rewardd
