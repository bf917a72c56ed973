// Status answer.
#include "api_status.hpp"

#include "http/api_request.hpp"
#include "http/json_response.hpp"
#include "store/status_store.hpp"

namespace rewardd {

void handle_api_status(ApiContext& api, const httplib::Request&, httplib::Response& res) {
    auto status = api.db.with([](auto& db) { return read_daemon_status(*db); });
    if (!status) return send_api_error(res, status.error());
    nlohmann::json last = nlohmann::json::object();
    for (const auto& [shop, at] : status->last_event_at) {
        last[shop] = at ? nlohmann::json(format_timestamp(*at)) : nlohmann::json(nullptr);
    }
    send_json(res, 200,
              {{"ok", true},
               {"version", api.version},
               {"shops", status->last_event_at.size()},
               {"outbox_backlog", status->outbox_backlog},
               {"last_webhook_at", last}});
}

}  // namespace rewardd
