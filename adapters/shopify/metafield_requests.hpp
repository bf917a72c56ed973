// The customer metafields rewardd keeps on Shopify so a theme can show them (namespace `rewardd`:
// points_available, points_pending as number_integer, tier as single_line_text_field), written
// with one metafieldsSet per customer (Admin GraphQL; atomic, at most 25 metafields a call).
// Pure: values in, {query, variables} out; answer in, error text out.
#pragma once

#include <cstdint>
#include <string>

#include "adapters/shopify/reward_requests.hpp"

namespace rewardd::shopify {

struct CustomerMetafields {
    std::int64_t points_available = 0;
    std::int64_t points_pending = 0;
    std::string tier;  // "" when the customer holds no tier: written as "none" (a value may not be blank)
};

inline constexpr const char* k_metafield_namespace = "rewardd";

GraphqlDocument customer_metafields_set(const std::string& customer_id, const CustomerMetafields& values);
// "" when Shopify set them all; otherwise the first userError ("CODE: message").
std::string read_metafields_set(const nlohmann::json& data);

}  // namespace rewardd::shopify
