// webhookSubscriptions (list) and webhookSubscriptionCreate. `uri` is the 2025-10+ field name for
// the address (it was callbackUrl before); rewardd pins 2026-07 by default.
#include "webhook_subscriptions.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace rewardd::shopify {
namespace {

using nlohmann::json;

const char* k_list =
    "query RewarddSubscriptions { webhookSubscriptions(first: 100) { nodes { id topic uri } } }";

const char* k_create =
    "mutation RewarddSubscribe($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) { "
    "webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) { "
    "webhookSubscription { id topic uri } userErrors { field message } } }";

std::string text(const json& obj, const char* key) {
    const auto it = obj.is_object() ? obj.find(key) : obj.end();
    return obj.is_object() && it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

const std::vector<std::string>& required_topics() {
    static const std::vector<std::string> topics{"ORDERS_CREATE",   "ORDERS_PAID",    "ORDERS_UPDATED",
                                                 "ORDERS_CANCELLED", "REFUNDS_CREATE", "CUSTOMERS_CREATE",
                                                 "APP_UNINSTALLED"};
    return topics;
}

std::string delivery_uri(const std::string& public_url) {
    std::string base = public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/webhooks/shopify";
}

CallOutcome list_subscriptions(GraphqlClient& graphql, const Shop& shop, const std::string& uri,
                               std::vector<Subscription>& out) {
    json data;
    auto call = graphql.call(shop, k_list, json::object(), data, 5);
    if (!call.ok()) return call;
    try {
        const auto& nodes = data.at("webhookSubscriptions").at("nodes");
        for (const auto& n : nodes) {
            Subscription s{text(n, "id"), text(n, "topic"), text(n, "uri")};
            if (uri.empty() || s.uri == uri) out.push_back(std::move(s));
        }
    } catch (const json::exception&) {
        return CallOutcome::retry("webhookSubscriptions answer has no nodes");
    }
    return CallOutcome::success();
}

SubscriptionReport ensure_subscriptions(GraphqlClient& graphql, const Shop& shop, const std::string& uri) {
    SubscriptionReport report;
    report.outcome = list_subscriptions(graphql, shop, uri, report.existing);
    if (!report.outcome.ok()) {
        report.missing = required_topics();
        return report;
    }
    for (const auto& topic : required_topics()) {
        const bool present = std::any_of(report.existing.begin(), report.existing.end(),
                                         [&](const Subscription& s) { return s.topic == topic; });
        if (present) continue;
        json data;
        const json variables = {{"topic", topic}, {"webhookSubscription", {{"uri", uri}, {"format", "JSON"}}}};
        auto call = graphql.call(shop, k_create, variables, data, 10);
        const auto payload = call.ok() ? data.value("webhookSubscriptionCreate", json::object()) : json::object();
        const auto errors = payload.is_object() ? payload.value("userErrors", json::array()) : json::array();
        if (call.ok() && errors.is_array() && !errors.empty()) {
            call = CallOutcome::failed("webhookSubscriptionCreate " + topic + ": " + text(errors[0], "message"));
        }
        if (!call.ok()) {
            spdlog::warn("shopify: subscribing failed shop={} topic={} reason={}", shop.id, topic, call.detail);
            report.outcome = call;
            report.missing.push_back(topic);
            continue;
        }
        report.created.push_back(topic);
    }
    return report;
}

}  // namespace rewardd::shopify
