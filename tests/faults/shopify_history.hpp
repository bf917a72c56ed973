// A generated Shopify history built from the recorded fixtures: distinct orders (ids, customers)
// paid, some refunded, some cancelled, as the webhook deliveries Shopify would send. Shared by the
// fault tests and the benchmark; no test framework here.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rewardd::test::shopify {

struct Delivery {
    std::string topic;
    std::string body;
    std::string webhook_id;
    std::string fact;  // "order:<id>:paid" etc: the stored event id after "shopify:<shop>:"
};

struct ShopifyFixtures {
    std::string order_paid;      // orders-paid.json
    std::string refund_created;  // refunds-create.json
    std::string order_cancelled; // orders-cancelled.json
};

inline nlohmann::json order_body(const nlohmann::json& fixture, std::int64_t order_id, int customer) {
    nlohmann::json o = fixture;
    o["id"] = order_id;
    o["admin_graphql_api_id"] = "gid://shopify/Order/" + std::to_string(order_id);
    o["name"] = "#" + std::to_string(order_id);
    o["order_number"] = order_id;
    const std::string email = "c" + std::to_string(customer) + "@example.com";
    o["email"] = email;
    o["contact_email"] = email;
    if (o.contains("customer") && o["customer"].is_object()) {
        o["customer"]["id"] = 900000 + customer;
        o["customer"]["email"] = email;
        o["customer"]["admin_graphql_api_id"] = "gid://shopify/Customer/" + std::to_string(900000 + customer);
    }
    return o;
}

// Order n (from 0): every order is paid; n % 4 == 1 is refunded, == 2 refunded then cancelled,
// == 3 cancelled (its cancellation lists the refund it made). Deliveries come in business order.
inline std::vector<Delivery> shopify_history(const ShopifyFixtures& f, int orders, int customers = 20,
                                             std::int64_t first_order_id = 1000000) {
    const auto paid = nlohmann::json::parse(f.order_paid);
    const auto refund_fixture = nlohmann::json::parse(f.refund_created);
    const auto cancel_fixture = nlohmann::json::parse(f.order_cancelled);
    std::vector<Delivery> out;
    for (int n = 0; n < orders; ++n) {
        const std::int64_t id = first_order_id + n;
        const int customer = n % customers;
        const std::string tag = std::to_string(id);
        out.push_back({"orders/paid", order_body(paid, id, customer).dump(), "paid-" + tag, "order:" + tag + ":paid"});
        nlohmann::json refund = refund_fixture;
        refund["id"] = 5000000000 + id;
        refund["order_id"] = id;
        refund["admin_graphql_api_id"] = "gid://shopify/Refund/" + std::to_string(5000000000 + id);
        if (n % 4 == 1 || n % 4 == 2) out.push_back({"refunds/create", refund.dump(), "refund-" + tag,
                                        "order:" + tag + ":refund:" + std::to_string(5000000000 + id)});
        if (n % 4 == 2 || n % 4 == 3) {
            nlohmann::json cancel = order_body(cancel_fixture, id, customer);
            cancel["refunds"] = nlohmann::json::array({refund});
            out.push_back({"orders/cancelled", cancel.dump(), "cancel-" + tag, "order:" + tag + ":cancelled"});
        }
    }
    return out;
}

}  // namespace rewardd::test::shopify
