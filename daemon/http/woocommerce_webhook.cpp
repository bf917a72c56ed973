// WooCommerce intake. Order: shop (401), ping (200), signature (401), topic (200 ignored: a 4xx
// for an authentic delivery counts toward WooCommerce disabling the webhook, INTEGRATION.md P3),
// payload (400 naming the field), store (503 when the store cannot take it), then 200.
#include "woocommerce_webhook.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>

#include "adapters/neutral/event_json.hpp"
#include "adapters/woocommerce/trash_history.hpp"
#include "adapters/woocommerce/webhook_mapper.hpp"
#include "http/inbox_event.hpp"
#include "http/json_response.hpp"
#include "net/signature.hpp"
#include "store/sqlite_store.hpp"

namespace rewardd {

woocommerce::StatusMap woocommerce_status_map(const Shop& shop) {
    const auto it = shop.settings.find("status_map");
    if (it == shop.settings.end()) return {};
    auto map = woocommerce::StatusMap::parse(it->second);
    if (map) return *map;
    spdlog::error("woocommerce: bad status_map shop={} error={}: using the defaults", shop.id, map.error().message);
    return {};
}

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
    auto plan = woocommerce::plan_delivery(*topic, req.body, shop->id, woocommerce_status_map(*shop));
    if (!plan) {
        spdlog::warn("woocommerce: invalid payload shop={} topic={} error={}", shop->id, topic_text,
                     plan.error().message);
        return send_error(res, 400, plan.error());
    }
    // Trashes and restores are numbered from what is stored: one such delivery at a time, from
    // reading the stored events to its own commit, so two of them never take the same number.
    std::unique_lock pairing(m_pairing_mutex, std::defer_lock);
    if (*topic == woocommerce::Topic::order_deleted || *topic == woocommerce::Topic::order_restored) pairing.lock();
    if (!pair_trash_and_restore(*shop, *plan, res)) return;
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

bool WooCommerceWebhook::pair_trash_and_restore(const Shop& shop, woocommerce::DeliveryPlan& plan,
                                                httplib::Response& res) {
    const auto restore = std::find_if(plan.events.begin(), plan.events.end(),
                                      [](const Event& e) { return e.type == EventType::order_restored; });
    if (plan.deleted_order_id.empty() && restore == plan.events.end()) return true;
    const std::string order_id = plan.deleted_order_id.empty() ? restore->order->id : plan.deleted_order_id;
    const auto stored = stored_events(shop.id, order_id);
    if (!stored) {
        res.set_header("Retry-After", "5");
        send_error(res, 503, stored.error());
        return false;
    }
    if (restore != plan.events.end()) {
        woocommerce::place_restore(*restore, *stored);
        return true;
    }
    const auto order = woocommerce::last_known_order(*stored);
    if (!order) {
        spdlog::info("woocommerce: deleted order not known shop={} order={}", shop.id, order_id);
        send_json(res, 200, {{"status", "ignored"}, {"reason", "order not known"}});
        return false;
    }
    plan.events.push_back(woocommerce::trash_event(shop.id, *stored, *order, m_clock()));
    return true;
}

Result<std::vector<Event>> WooCommerceWebhook::stored_events(const std::string& shop_id, const std::string& order_id) {
    std::lock_guard lock(m_db_mutex);
    auto stored = SqliteStore(m_db).order_events(shop_id, order_id);
    if (!stored) return stored.error();
    std::vector<Event> events;
    for (const auto& row : *stored) {
        auto event = parse_event_json(row.body, shop_id);
        if (event) events.push_back(std::move(*event));
    }
    return events;
}

void WooCommerceWebhook::release_idle_memory() {
    std::lock_guard lock(m_db_mutex);
    sqlite3_db_release_memory(m_db->getHandle());
}

}  // namespace rewardd
