// Neutral event intake. Order: authenticate (401), then validate (400; a manual adjustment is no
// platform event and is refused too), then store (503 when the
// store cannot take it), then answer 200.
#include "event_intake.hpp"

#include <spdlog/spdlog.h>

#include "adapters/neutral/event_json.hpp"
#include "http/inbox_event.hpp"
#include "http/json_response.hpp"
#include "net/signature.hpp"

namespace rewardd {

void EventIntake::handle(const httplib::Request& req, httplib::Response& res) {
    const std::string shop_id = req.get_header_value("X-Rewardd-Shop");
    const std::string signature = req.get_header_value("X-Rewardd-Signature");
    const auto shop = shop_id.empty() ? std::nullopt : m_shops.find(shop_id);
    if (!shop) {
        return send_error(res, 401, make_error(ErrorCode::unknown_shop, "unknown shop", "X-Rewardd-Shop"));
    }
    if (signature.empty() || !signature_matches(shop->secret, req.body, signature)) {
        spdlog::warn("intake: signature_mismatch shop={}", shop_id);
        return send_error(res, 401, make_error(ErrorCode::signature_mismatch, "signature does not match",
                                               "X-Rewardd-Signature"));
    }
    auto event = parse_event_json(req.body, shop_id);
    if (!event) return send_error(res, 400, event.error());
    if (event->type == EventType::points_adjusted) {
        // The store's own kind (`rewardd adjust`, with its reason): a shop's event secret adds
        // platform facts, never points straight to anyone's available balance.
        return send_error(res, 400, make_error(ErrorCode::invalid_field, "points.adjusted is not a platform event",
                                               "type"));
    }

    auto outcome = m_writer.submit(to_inbox(*event, m_clock())).get();
    if (!outcome) {
        res.set_header("Retry-After", "5");
        return send_error(res, 503, outcome.error());
    }
    const bool duplicate = *outcome == Appended::duplicate;
    spdlog::debug("intake: stored shop={} event={} duplicate={}", shop_id, event->id, duplicate);
    send_json(res, 200, {{"status", duplicate ? "duplicate" : "applied"}, {"id", event->id}});
}

}  // namespace rewardd
