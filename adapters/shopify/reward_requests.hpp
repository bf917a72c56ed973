// The Admin GraphQL documents rewardd sends for rewards (INTEGRATION.md S4.1, S4.3) and the
// readers of their answers. Pure: grant in, {query, variables} out; answer in, facts out. The
// shapes follow fixtures/shopify/graphql-*.json.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "core/result.hpp"
#include "outbox/reward_deliverer.hpp"

namespace rewardd::shopify {

struct GraphqlDocument {
    std::string query;
    nlohmann::json variables;
};

// "CODE: message" of a mutation payload's first userError; "" when there is none.
std::string first_user_error(const nlohmann::json& payload);

// "207119551" -> "gid://shopify/Customer/207119551"; a gid is kept as it is.
std::string customer_gid(const std::string& customer_id);
// The grant's code, or (when it has none) one derived from the grant id: "RWD-" + 12 of [A-Z0-9].
std::string reward_code(const RewardGrant& grant);
// Minor units -> Shopify's Decimal text in the currency's scale ("10.00", "500", "1.250").
Result<std::string> decimal_amount(std::int64_t minor, const std::string& currency);

// discountCodeBasicCreate: customer-restricted, single use, fixed amount off the whole order.
// `context` from API 2025-10 on, `customerSelection` before (P16). The title carries the grant id
// so a later lookup can tell our code from someone else's.
Result<GraphqlDocument> discount_code_create(const RewardGrant& grant, Timestamp starts_at,
                                             const std::string& api_version);
GraphqlDocument discount_code_lookup(const std::string& code);

struct DiscountAnswer {
    std::string node_id;  // gid://shopify/DiscountCodeNode/...; empty when not created
    bool code_taken = false;
    std::string error;    // the first other userError, if any
};
DiscountAnswer read_discount_create(const nlohmann::json& data);

struct FoundDiscount {
    std::string node_id;
    std::string title;
};
std::optional<FoundDiscount> read_discount_lookup(const nlohmann::json& data);
bool title_names_grant(const std::string& title, const std::string& grant_id);

// storeCreditAccountCredit on the customer (an account in the shop currency is made if needed).
// The mutation has no idempotency key, so expiresAt carries a fingerprint derived from the grant
// id: the grant's expiry moved to a second within the same hour, or without one a second of 2099.
// A retry lists the customer's credits first and finds ours by amount, currency and that exact
// expiresAt.
Result<GraphqlDocument> store_credit_create(const RewardGrant& grant);
GraphqlDocument store_credit_lookup(const RewardGrant& grant);
Timestamp store_credit_fingerprint_expiry(const RewardGrant& grant);

struct CreditAnswer {
    std::string transaction_id;
    std::string error;
};
CreditAnswer read_store_credit_create(const nlohmann::json& data);
// The id of an earlier credit made for this grant, if the lookup answer shows one.
std::optional<std::string> find_store_credit(const nlohmann::json& data, const RewardGrant& grant);

}  // namespace rewardd::shopify
