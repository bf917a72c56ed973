// Shopify intake. Order: shop (401), HMAC (401), required headers (400), repeat (200 duplicate),
// payload (400 naming the field), store (503 when the store cannot take it), then 200.
#include "shopify_webhook.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>

#include "adapters/neutral/event_json.hpp"
#include "adapters/shopify/webhook_mapper.hpp"
#include "http/json_response.hpp"
#include "http/shopify_event_intake.hpp"
#include "net/signature.hpp"
#include "store/privacy_store.hpp"
#include "store/shopify_delivery_log.hpp"

namespace rewardd {

struct ShopifyWebhook::Delivery {
    Shop shop;
    std::string topic;
    std::string webhook_id;
    std::string event_id;
    Timestamp received_at = 0;
};

namespace {

// Shopify's webhooks use X-Shopify-*; its newer Events deliveries the un-prefixed shopify-*.
std::string shopify_header(const httplib::Request& req, const std::string& name) {
    std::string value = req.get_header_value("X-Shopify-" + name);
    if (value.empty()) value = req.get_header_value("shopify-" + name);
    return value;
}

// The app's client secret signs webhooks; during a rotation the previous one still may, and a
// legacy custom app's shop may only have the --secret it was added with. The first key that
// matches ends the search (an HMAC of a 6 KB order is about 5 µs of CPU); stopping early tells a
// sender only which of the shop's keys its valid signature used. A wrong signature is still
// checked against every key.
bool hmac_ok(const Shop& shop, const std::string& body, const std::string& hmac) {
    for (const char* key : {"client_secret", "previous_client_secret"}) {
        const auto it = shop.settings.find(key);
        if (it != shop.settings.end() && !it->second.empty() && signature_matches(it->second, body, hmac)) return true;
    }
    return !shop.secret.empty() && signature_matches(shop.secret, body, hmac);
}

}  // namespace

ShopifyWebhook::ShopifyWebhook(std::shared_ptr<SQLite::Database> db, BatchWriter& writer, BatchWriter::Clock clock,
                               std::function<void()> privacy_ready)
    : m_db(db),
      m_shops(db, m_db_mutex, std::chrono::seconds(2)),
      m_writer(writer),
      m_clock(std::move(clock)),
      m_privacy_ready(std::move(privacy_ready)) {}

void ShopifyWebhook::handle(const httplib::Request& req, httplib::Response& res) {
    const std::string domain = shopify_header(req, "Shop-Domain");
    auto shop = m_shops.find_by_domain(domain);
    if (!shop) {
        spdlog::warn("shopify: unknown_shop domain={}", domain.substr(0, 100));
        return send_error(res, 401, make_error(ErrorCode::unknown_shop, "unknown shop domain", "X-Shopify-Shop-Domain"));
    }
    const std::string hmac = shopify_header(req, "Hmac-Sha256");
    if (hmac.empty() || !hmac_ok(*shop, req.body, hmac)) {
        spdlog::warn("shopify: signature_mismatch shop={}", shop->id);
        return send_error(res, 401, make_error(ErrorCode::signature_mismatch, "HMAC does not match",
                                               "X-Shopify-Hmac-Sha256"));
    }
    Delivery d{*shop, shopify_header(req, "Topic"), shopify_header(req, "Webhook-Id"),
               shopify_header(req, "Event-Id"), m_clock()};
    if (d.topic.empty()) {
        return send_error(res, 400, make_error(ErrorCode::missing_field, "a topic is required", "X-Shopify-Topic"));
    }
    if (d.webhook_id.empty() || d.webhook_id.size() > 128 || d.event_id.size() > 128) {
        return send_error(res, 400, make_error(ErrorCode::missing_field, "a webhook id (up to 128 characters) is required",
                                               "X-Shopify-Webhook-Id"));
    }
    {
        std::lock_guard lock(m_db_mutex);
        auto seen = ShopifyDeliveryLog(*m_db, &m_statements).seen(d.shop.id, d.webhook_id, d.event_id);
        if (seen && *seen) {
            spdlog::debug("shopify: duplicate delivery shop={} webhook={}", d.shop.id, d.webhook_id);
            return send_json(res, 200, {{"status", "duplicate"}});
        }
    }
    const auto topic = shopify::parse_topic(d.topic);
    if (!topic) {
        spdlog::info("shopify: ignored topic shop={} topic={}", d.shop.id, d.topic.substr(0, 64));
        record(d);
        return send_json(res, 200, {{"status", "ignored"}, {"reason", "topic not used"}});
    }
    auto plan = shopify::plan_webhook(*topic, req.body, d.shop.id, shopify_map_options(d.shop));
    if (!plan) {
        spdlog::warn("shopify: invalid payload shop={} topic={} error={}", d.shop.id, d.topic, plan.error().message);
        return send_error(res, 400, plan.error());
    }
    switch (plan->action) {
        case shopify::Action::store_events: return store_events(d, std::move(plan->events), res);
        case shopify::Action::privacy_request: return enqueue_privacy(d, req.body, res);
        case shopify::Action::uninstall: return uninstall(d, res);
        case shopify::Action::ignore: break;
    }
    spdlog::info("shopify: ignored shop={} topic={} reason={}", d.shop.id, d.topic, plan->note);
    record(d);
    send_json(res, 200, {{"status", "ignored"}, {"reason", plan->note}});
}

void ShopifyWebhook::store_events(const Delivery& d, std::vector<Event> events, httplib::Response& res) {
    const ShopifyDelivery logged{d.shop.id, d.webhook_id, d.event_id, d.topic, d.received_at};
    auto outcome = submit_shopify_events(m_writer, events, d.received_at, logged).get();
    if (!outcome) {
        res.set_header("Retry-After", "5");
        return send_error(res, 503, outcome.error());
    }
    const auto inserted = std::count(outcome->begin(), outcome->end(), Appended::inserted);
    spdlog::debug("shopify: stored shop={} topic={} events={} new={}", d.shop.id, d.topic, events.size(), inserted);
    send_json(res, 200, {{"status", inserted > 0 ? "applied" : "duplicate"},
                         {"events", events.size()}, {"new_events", inserted}});
}

void ShopifyWebhook::enqueue_privacy(const Delivery& d, const std::string& body, httplib::Response& res) {
    {
        std::lock_guard lock(m_db_mutex);
        auto id = PrivacyStore(*m_db).enqueue({0, d.shop.id, d.topic, d.webhook_id, body, d.received_at});
        if (!id) {
            res.set_header("Retry-After", "5");
            return send_error(res, 503, id.error());
        }
        ShopifyDeliveryLog(*m_db).record({d.shop.id, d.webhook_id, d.event_id, d.topic, d.received_at});
        spdlog::info("shopify: privacy request queued shop={} topic={} request={}", d.shop.id, d.topic, *id);
    }
    if (m_privacy_ready) m_privacy_ready();
    send_json(res, 200, {{"status", "accepted"}});
}

void ShopifyWebhook::uninstall(const Delivery& d, httplib::Response& res) {
    {
        std::lock_guard lock(m_db_mutex);
        ShopRegistry registry(m_db);
        auto found = registry.find(d.shop.id);
        if (found && *found) {
            Shop shop = **found;
            shop.settings["uninstalled_at"] = format_timestamp(d.received_at);
            shop.settings.erase("access_token");  // dead once the app is uninstalled
            shop.settings.erase("access_token_expires_at");
            if (auto saved = registry.save(shop); !saved) {
                res.set_header("Retry-After", "5");
                return send_error(res, 503, saved.error());
            }
        }
        ShopifyDeliveryLog(*m_db).record({d.shop.id, d.webhook_id, d.event_id, d.topic, d.received_at});
    }
    m_shops.invalidate();
    spdlog::info("shopify: app uninstalled shop={}: reward deliveries to it stop", d.shop.id);
    send_json(res, 200, {{"status", "uninstalled"}});
}

bool ShopifyWebhook::record(const Delivery& d) {
    std::lock_guard lock(m_db_mutex);
    auto r = ShopifyDeliveryLog(*m_db).record({d.shop.id, d.webhook_id, d.event_id, d.topic, d.received_at});
    if (!r) spdlog::warn("shopify: cannot record delivery shop={} error={}", d.shop.id, r.error().message);
    return r.ok();
}

void ShopifyWebhook::release_idle_memory() {
    std::lock_guard lock(m_db_mutex);
    m_statements.clear();
    sqlite3_db_release_memory(m_db->getHandle());
}

}  // namespace rewardd
