// One Shopify webhook delivery (topic + verified raw body) -> what rewardd must do with it:
// neutral events to store, a privacy request, an uninstall, or nothing. Pure and fast, so the
// HTTP handler can answer well inside Shopify's time limit.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/event.hpp"
#include "core/result.hpp"

namespace rewardd::shopify {

enum class Topic {
    orders_create,
    orders_paid,
    orders_updated,
    orders_cancelled,
    orders_fulfilled,
    refunds_create,
    customers_create,
    app_uninstalled,
    customers_data_request,
    customers_redact,
    shop_redact,
};

std::optional<Topic> parse_topic(std::string_view text);  // "orders/paid" -> orders_paid
const char* topic_id(Topic topic);
bool is_privacy_topic(Topic topic);

// The customer and orders a privacy request names (customers/redact, customers/data_request).
struct PrivacySubject {
    std::string customer_id;
    std::string email;  // normalised
    std::vector<std::string> order_ids;
    std::string request_id;  // data_request.id, when given
};

enum class Action { store_events, privacy_request, uninstall, ignore };

struct WebhookPlan {
    Action action = Action::ignore;
    std::vector<Event> events;               // store_events
    std::optional<PrivacySubject> subject;   // customers/* privacy topics
    std::string note;                        // why it is ignored, for the log
};

struct MapOptions {
    bool accept_test_orders = false;
};

Result<WebhookPlan> plan_webhook(Topic topic, std::string_view body, const std::string& shop_id,
                                 const MapOptions& options);
// An order snapshot already parsed with parse_literal_json (money numbers kept as their text), as
// an order topic's body is: the REST order list's orders.
Result<WebhookPlan> plan_order(const nlohmann::json& order, const std::string& shop_id, const MapOptions& options);

// customers/redact and customers/data_request bodies.
Result<PrivacySubject> read_privacy_subject(std::string_view body);

}  // namespace rewardd::shopify
