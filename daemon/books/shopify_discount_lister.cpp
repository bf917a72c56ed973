// One page per call; a `retry` outcome (429, 5xx, THROTTLED beyond the client's own wait) is
// waited out a bounded number of times before the listing gives up.
#include "books/shopify_discount_lister.hpp"

#include <algorithm>
#include <cctype>

namespace rewardd::books {
namespace {

constexpr int k_retries_max = 5;

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

const nlohmann::json& at_path(const nlohmann::json& j, std::initializer_list<const char*> path) {
    static const nlohmann::json null;
    const nlohmann::json* at = &j;
    for (const char* key : path) {
        if (!at->is_object() || !at->contains(key)) return null;
        at = &(*at)[key];
    }
    return *at;
}

PlatformReward read_node(const nlohmann::json& node) {
    const auto& d = node["codeDiscount"];
    PlatformReward r;
    r.platform_id = node.value("id", "");
    r.grant_ref = d.value("title", "");
    r.usage_limit = d.value("usageLimit", nlohmann::json()).is_number() ? d["usageLimit"].get<int>() : 0;
    r.usage_count = d.value("asyncUsageCount", 0);
    const auto& codes = at_path(d, {"codes", "nodes"});
    if (codes.is_array() && !codes.empty()) r.code = upper(codes[0].value("code", ""));
    const auto& amount = at_path(d, {"customerGets", "value", "amount", "amount"});
    if (amount.is_string()) r.amount = amount.get<std::string>();
    const auto& minimum = at_path(d, {"minimumRequirement", "greaterThanOrEqualToSubtotal", "amount"});
    if (minimum.is_string()) r.minimum = minimum.get<std::string>();
    for (const char* selection : {"context", "customerSelection"}) {
        const auto& customers = at_path(d, {selection, "customers"});
        if (!customers.is_array()) continue;
        for (const auto& c : customers) r.customers.push_back(c.value("id", ""));
    }
    return r;
}

}  // namespace

std::string discount_nodes_query(const std::string& api_version) {
    const std::string selection = api_version >= "2025-10" ? "context" : "customerSelection";
    return "query($first: Int!, $after: String) { codeDiscountNodes(first: $first, after: $after) { "
           "nodes { id codeDiscount { __typename ... on DiscountCodeBasic { title usageLimit asyncUsageCount "
           "codes(first: 1) { nodes { code } } "
           "customerGets { value { ... on DiscountAmount { amount { amount currencyCode } } } } "
           "minimumRequirement { ... on DiscountMinimumSubtotal { greaterThanOrEqualToSubtotal { amount } } } " +
           selection + " { ... on DiscountCustomers { customers { id } } } } } } "
           "pageInfo { hasNextPage endCursor } } }";
}

std::vector<PlatformReward> read_discount_nodes(const nlohmann::json& data) {
    std::vector<PlatformReward> out;
    const auto& nodes = at_path(data, {"codeDiscountNodes", "nodes"});
    if (!nodes.is_array()) return out;
    for (const auto& node : nodes) {
        if (at_path(node, {"codeDiscount", "__typename"}) == "DiscountCodeBasic") out.push_back(read_node(node));
    }
    return out;
}

Result<std::vector<PlatformReward>> ShopifyDiscountLister::list(const Shop& shop) {
    const std::string query = discount_nodes_query(m_graphql.options().api_version);
    std::vector<PlatformReward> out;
    nlohmann::json after = nullptr;
    for (int retries = 0;;) {
        nlohmann::json data;
        // A connection costs about its page size times the nested fields (S5); tell the pacer so.
        const auto outcome = m_graphql.call(shop, query, {{"first", m_page_size}, {"after", after}}, data,
                                            2 + 3 * static_cast<std::int64_t>(m_page_size));
        if (outcome.status == shopify::CallStatus::retry && retries++ < k_retries_max) {
            m_sleep(outcome.retry_after_ms.value_or(1000));
            continue;
        }
        if (!outcome.ok()) {
            return make_error(ErrorCode::platform_unavailable, "listing discount codes: " + outcome.detail);
        }
        retries = 0;
        auto page = read_discount_nodes(data);
        out.insert(out.end(), page.begin(), page.end());
        const auto& info = at_path(data, {"codeDiscountNodes", "pageInfo"});
        if (!info.value("hasNextPage", false)) return out;
        after = info.value("endCursor", "");
    }
}

}  // namespace rewardd::books
