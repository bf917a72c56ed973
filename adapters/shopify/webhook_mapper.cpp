// Topic dispatch. Order topics all carry the full order snapshot, so they share one mapping
// (state diffing by deterministic ids); refunds/create carries a bare refund.
#include "webhook_mapper.hpp"

#include <array>
#include <utility>

#include "adapters/shopify/literal_json.hpp"
#include "adapters/shopify/order_mapper.hpp"
#include "adapters/shopify/refund_mapper.hpp"
#include "core/customer_key.hpp"

namespace rewardd::shopify {
namespace {

constexpr std::array<std::pair<Topic, const char*>, 11> k_topics{{
    {Topic::orders_create, "orders/create"},
    {Topic::orders_paid, "orders/paid"},
    {Topic::orders_updated, "orders/updated"},
    {Topic::orders_cancelled, "orders/cancelled"},
    {Topic::orders_fulfilled, "orders/fulfilled"},
    {Topic::refunds_create, "refunds/create"},
    {Topic::customers_create, "customers/create"},
    {Topic::app_uninstalled, "app/uninstalled"},
    {Topic::customers_data_request, "customers/data_request"},
    {Topic::customers_redact, "customers/redact"},
    {Topic::shop_redact, "shop/redact"},
}};

Result<WebhookPlan> plan_customer(const json& doc, const std::string& shop_id) {
    Event e;
    e.shop_id = shop_id;
    e.type = EventType::customer_created;
    CustomerRef ref;
    auto id = read_id(doc, "id", "id", true);
    if (!id) return id.error();
    ref.id = *id;
    ref.email = normalise_email(read_string(doc, "email"));
    if (ref.email.find('@') == std::string::npos) ref.email.clear();
    auto at = read_time(doc, "created_at", "created_at");
    if (!at) return at.error();
    e.occurred_at = *at;
    e.id = "shopify:" + shop_id + ":customer:" + ref.id + ":created";
    e.customer = ref;
    WebhookPlan plan;
    plan.action = Action::store_events;
    plan.events.push_back(std::move(e));
    return plan;
}

}  // namespace

std::optional<Topic> parse_topic(std::string_view text) {
    for (const auto& [topic, id] : k_topics) {
        if (text == id) return topic;
    }
    return std::nullopt;
}

const char* topic_id(Topic topic) {
    for (const auto& [t, id] : k_topics) {
        if (t == topic) return id;
    }
    return "unknown";
}

bool is_privacy_topic(Topic topic) {
    return topic == Topic::customers_data_request || topic == Topic::customers_redact || topic == Topic::shop_redact;
}

Result<PrivacySubject> read_privacy_subject(std::string_view body) {
    auto doc = parse_literal_json(body);
    if (!doc) return doc.error();
    if (!doc->is_object()) return field_error(ErrorCode::invalid_field, "body", "must be an object");
    PrivacySubject subject;
    if (const auto c = doc->find("customer"); c != doc->end() && c->is_object()) {
        auto id = read_id(*c, "id", "customer.id", false);
        if (!id) return id.error();
        subject.customer_id = *id;
        subject.email = normalise_email(read_string(*c, "email"));
    }
    for (const char* key : {"orders_to_redact", "orders_requested"}) {
        const auto orders = doc->find(key);
        if (orders == doc->end() || !orders->is_array()) continue;
        for (const auto& o : *orders) {
            if (o.is_number_integer()) subject.order_ids.push_back(o.dump());
            if (o.is_string()) subject.order_ids.push_back(o.get<std::string>());
        }
    }
    if (const auto r = doc->find("data_request"); r != doc->end() && r->is_object()) {
        auto id = read_id(*r, "id", "data_request.id", false);
        if (id) subject.request_id = *id;
    }
    return subject;
}

Result<WebhookPlan> plan_webhook(Topic topic, std::string_view body, const std::string& shop_id,
                                 const MapOptions& options) {
    WebhookPlan plan;
    if (topic == Topic::app_uninstalled) {
        plan.action = Action::uninstall;
        return plan;
    }
    if (topic == Topic::shop_redact) {
        plan.action = Action::privacy_request;
        return plan;
    }
    if (topic == Topic::customers_redact || topic == Topic::customers_data_request) {
        auto subject = read_privacy_subject(body);
        if (!subject) return subject.error();
        plan.action = Action::privacy_request;
        plan.subject = std::move(*subject);
        return plan;
    }
    // Order topics carry the whole order, of which the mapping reads a small part.
    const bool order_topic = topic != Topic::customers_create && topic != Topic::refunds_create;
    auto doc = parse_literal_json(body, 64, order_topic ? &order_members() : nullptr);
    if (!doc) return doc.error();
    if (!doc->is_object()) return field_error(ErrorCode::invalid_field, "body", "must be an object");
    if (topic == Topic::customers_create) return plan_customer(*doc, shop_id);
    if (topic == Topic::refunds_create) {
        auto event = refund_event(*doc, shop_id);
        if (!event) return event.error();
        if (!*event) {
            plan.note = "refund without amount or lines";
            return plan;
        }
        plan.action = Action::store_events;
        plan.events.push_back(std::move(**event));
        return plan;
    }
    return plan_order(*doc, shop_id, options);
}

Result<WebhookPlan> plan_order(const json& order, const std::string& shop_id, const MapOptions& options) {
    if (!order.is_object()) return field_error(ErrorCode::invalid_field, "order", "must be an object");
    WebhookPlan plan;
    if (is_test_order(order) && !options.accept_test_orders) {
        plan.note = "test order";
        return plan;
    }
    auto events = order_events(order, shop_id);
    if (!events) return events.error();
    plan.action = Action::store_events;
    plan.events = std::move(*events);
    return plan;
}

}  // namespace rewardd::shopify
