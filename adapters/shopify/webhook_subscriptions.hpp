// The webhook subscriptions rewardd needs on each shop (INTEGRATION.md S2.1, S2.4), made with
// webhookSubscriptionCreate to `<public_url>/webhooks/shopify`. Shopify deletes an Admin API
// subscription after 8 failed retries over 4 hours, so `ensure` is run at shop add, at start-up
// and every few hours: it lists what exists and re-creates what is missing. The privacy topics
// cannot be subscribed through the API (app config / Partner Dashboard only).
#pragma once

#include <string>
#include <vector>

#include "adapters/shopify/admin_api.hpp"

namespace rewardd::shopify {

// GraphQL enum names: ORDERS_CREATE, ORDERS_PAID, ...
const std::vector<std::string>& required_topics();
// "https://loyalty.example.com/" -> "https://loyalty.example.com/webhooks/shopify"
std::string delivery_uri(const std::string& public_url);

struct Subscription {
    std::string id;
    std::string topic;  // ORDERS_PAID
    std::string uri;
};

struct SubscriptionReport {
    CallOutcome outcome;                 // ok unless listing or a create failed
    std::vector<Subscription> existing;  // ours (to `uri`), as listed before creating
    std::vector<std::string> created;    // topics created now
    std::vector<std::string> missing;    // topics still missing (a create failed)
};

// Lists the shop's subscriptions to `uri`.
CallOutcome list_subscriptions(GraphqlClient& graphql, const Shop& shop, const std::string& uri,
                               std::vector<Subscription>& out);
// Lists, then creates each required topic not already subscribed to `uri`.
SubscriptionReport ensure_subscriptions(GraphqlClient& graphql, const Shop& shop, const std::string& uri);

}  // namespace rewardd::shopify
