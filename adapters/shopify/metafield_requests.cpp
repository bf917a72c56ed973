// metafieldsSet for a customer's balance and tier.
#include "metafield_requests.hpp"

namespace rewardd::shopify {
namespace {

using nlohmann::json;

const char* k_metafields_set =
    "mutation SetRewardMetafields($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { "
    "metafields { key namespace value type } userErrors { field code message } } }";

json metafield(const std::string& owner, const char* key, const char* type, std::string value) {
    return {{"ownerId", owner}, {"namespace", k_metafield_namespace}, {"key", key}, {"type", type}, {"value", value}};
}

}  // namespace

GraphqlDocument customer_metafields_set(const std::string& customer_id, const CustomerMetafields& values) {
    const std::string owner = customer_gid(customer_id);
    return {k_metafields_set,
            {{"metafields", json::array({
                  metafield(owner, "points_available", "number_integer", std::to_string(values.points_available)),
                  metafield(owner, "points_pending", "number_integer", std::to_string(values.points_pending)),
                  metafield(owner, "tier", "single_line_text_field", values.tier.empty() ? "none" : values.tier),
              })}}};
}

std::string read_metafields_set(const json& data) {
    const auto payload = data.value("metafieldsSet", json());
    if (!payload.is_object()) return "no metafieldsSet in the answer";
    return first_user_error(payload);
}

}  // namespace rewardd::shopify
