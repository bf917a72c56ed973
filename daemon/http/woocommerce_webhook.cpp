// WooCommerce intake. Order: shop (401), ping (200), signature (401), topic (200 ignored: a 4xx
// for an authentic delivery counts toward WooCommerce disabling the webhook, INTEGRATION.md P3),
// payload (400 naming the field), store (503 when the store cannot take it), then 200.
#include "woocommerce_webhook.hpp"

#include <spdlog/spdlog.h>

#include "adapters/neutral/event_json.hpp"
#include "adapters/woocommerce/webhook_mapper.hpp"
#include "http/inbox_event.hpp"
#include "http/json_response.hpp"
#include "net/signature.hpp"
#include "store/sqlite_store.hpp"

namespace rewardd {
namespace {

woocommerce::StatusMap status_map_of(const Shop& shop) {
    const auto it = shop.settings.find("status_map");
    if (it == shop.settings.end()) return {};
    auto map = woocommerce::StatusMap::parse(it->second);
    if (map) return *map;
    spdlog::error("woocommerce: bad status_map shop={} error={}: using the defaults", shop.id, map.error().message);
    return {};
}

}  // namespace

const char* WooCommerceWebhook::route_pattern() { return R"(/webhooks/woocommerce/([A-Za-z0-9_-]{1,64}))"; }

WooCommerceWebhook::WooCommerceWebhook(ShopDirectory& shops, std::shared_ptr<SQLite::Database> db,
                                       BatchWriter& writer, BatchWriter::Clock clock)
    : m_shops(shops), m_db(std::move(db)), m_writer(writer), m_clock(std::move(clock)) {}

void WooCommerceWebhook::handle(const httplib::Request& req, httplib::Response& res) {
    const std::string shop_id = req.matches.size() > 1 ? req.matches[1].str() : "";
    const auto shop = m_shops.find(shop_id);
    if (!shop || shop->platform != "woocommerce") {
        spdlog::warn("woocommerce: unknown_shop shop={}", shop_id);
        return send_error(res, 401, make_error(ErrorCode::unknown_shop, "no WooCommerce shop " + shop_id, "shop_id"));
    }
    const std::string signature = req.get_header_value("X-WC-Webhook-Signature");
    if (signature.empty() && woocommerce::is_ping(req.body)) {
        spdlog::info("woocommerce: ping answered shop={} body={}", shop->id, req.body);
        res.status = 200;  // exactly 200: WooCommerce treats anything else as a failed ping
        return;
    }
    if (signature.empty() || !signature_matches(shop->secret, req.body, signature)) {
        spdlog::warn("woocommerce: signature_mismatch shop={}", shop->id);
        return send_error(res, 401, make_error(ErrorCode::signature_mismatch, "signature does not match",
                                               "X-WC-Webhook-Signature"));
    }
    const std::string topic_text = req.get_header_value("X-WC-Webhook-Topic");
    const auto topic = woocommerce::parse_topic(topic_text);
    if (!topic) {
        spdlog::info("woocommerce: ignored topic shop={} topic={}", shop->id, topic_text.substr(0, 64));
        return send_json(res, 200, {{"status", "ignored"}, {"reason", "topic not used"}});
    }
    auto plan = woocommerce::plan_delivery(*topic, req.body, shop->id, status_map_of(*shop));
    if (!plan) {
        spdlog::warn("woocommerce: invalid payload shop={} topic={} error={}", shop->id, topic_text,
                     plan.error().message);
        return send_error(res, 400, plan.error());
    }
    if (!plan->deleted_order_id.empty()) {
        const auto order = known_order(shop->id, plan->deleted_order_id);
        if (!order) {
            res.set_header("Retry-After", "5");
            return send_error(res, 503, order.error());
        }
        if (!*order) {
            spdlog::info("woocommerce: deleted order not known shop={} order={}", shop->id, plan->deleted_order_id);
            return send_json(res, 200, {{"status", "ignored"}, {"reason", "order not known"}});
        }
        plan->events.push_back(woocommerce::cancel_deleted(shop->id, **order, m_clock()));
    }
    if (plan->events.empty()) {
        spdlog::info("woocommerce: nothing to store shop={} topic={} reason={}", shop->id, topic_text, plan->note);
        return send_json(res, 200, {{"status", "ignored"}, {"reason", plan->note}});
    }
    store_events(*shop, topic_text, std::move(plan->events), res);
}

void WooCommerceWebhook::store_events(const Shop& shop, const std::string& topic, std::vector<Event> events,
                                      httplib::Response& res) {
    const Timestamp received_at = m_clock();
    std::vector<std::future<Result<Appended>>> pending;
    for (const auto& e : events) pending.push_back(m_writer.submit(to_inbox(e, received_at)));
    std::size_t inserted = 0;
    std::optional<Error> failure;
    for (auto& f : pending) {
        auto outcome = f.get();
        if (!outcome) failure = outcome.error();
        else if (*outcome == Appended::inserted) ++inserted;
    }
    if (failure) {
        // WooCommerce never retries (W1.4): the shop's next delivery of this order, or a
        // reconcile, brings the facts again; whatever did commit is keyed by business facts.
        res.set_header("Retry-After", "5");
        return send_error(res, 503, *failure);
    }
    spdlog::debug("woocommerce: stored shop={} topic={} events={} new={}", shop.id, topic, events.size(), inserted);
    send_json(res, 200, {{"status", inserted > 0 ? "applied" : "duplicate"}, {"events", events.size()},
                         {"new_events", inserted}});
}

Result<std::optional<Order>> WooCommerceWebhook::known_order(const std::string& shop_id, const std::string& order_id) {
    std::lock_guard lock(m_db_mutex);
    auto stored = SqliteStore(m_db).order_events(shop_id, order_id);
    if (!stored) return stored.error();
    for (auto it = stored->rbegin(); it != stored->rend(); ++it) {
        auto event = parse_event_json(it->body, shop_id);
        if (event && event->order) return std::optional<Order>{event->order};
    }
    return std::optional<Order>{};
}

}  // namespace rewardd
