// Lists a Shopify shop's code discounts through the Admin GraphQL API: codeDiscountNodes with
// cursor paging (first/after, pageInfo.endCursor), each page's expected cost handed to the
// GraphqlClient, which paces by the shop's leaky bucket and waits out THROTTLED (INTEGRATION.md S5).
#pragma once

#include <functional>
#include <memory>

#include "adapters/shopify/graphql_client.hpp"
#include "books/platform_reward.hpp"

namespace rewardd::books {

class ShopifyDiscountLister {
public:
    using Sleeper = std::function<void(std::int64_t ms)>;

    ShopifyDiscountLister(shopify::GraphqlClient& graphql, Sleeper sleep, int page_size = 50)
        : m_graphql(graphql), m_sleep(std::move(sleep)), m_page_size(page_size) {}

    Result<std::vector<PlatformReward>> list(const Shop& shop);

private:
    shopify::GraphqlClient& m_graphql;
    Sleeper m_sleep;
    int m_page_size;
};

// The query for one page, for the pinned API version (context from 2025-10, customerSelection before).
std::string discount_nodes_query(const std::string& api_version);
// The nodes of one codeDiscountNodes answer (`data`), basic code discounts only.
std::vector<PlatformReward> read_discount_nodes(const nlohmann::json& data);

}  // namespace rewardd::books
