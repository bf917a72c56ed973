// Lists a Shopify customer's store credit transactions through the Admin GraphQL API: the
// customer's accounts (one per currency), then each account's `transactions` with cursor paging
// (first/after, pageInfo.endCursor). Each call's expected cost goes to the GraphqlClient, which
// paces by the shop's leaky bucket and waits out THROTTLED (INTEGRATION.md S5). Needs the scopes
// read_store_credit_accounts and read_store_credit_account_transactions.
#pragma once

#include <functional>

#include "adapters/shopify/graphql_client.hpp"
#include "books/platform_reward.hpp"

namespace rewardd::books {

class ShopifyCreditLister {
public:
    using Sleeper = std::function<void(std::int64_t ms)>;

    ShopifyCreditLister(shopify::GraphqlClient& graphql, Sleeper sleep, int page_size = 50)
        : m_graphql(graphql), m_sleep(std::move(sleep)), m_page_size(page_size) {}

    Result<std::vector<PlatformCredit>> list(const Shop& shop, const std::string& customer_platform_id);

private:
    // One call, a `retry` outcome waited out a bounded number of times.
    Result<nlohmann::json> call(const Shop& shop, const std::string& query, const nlohmann::json& variables,
                                std::int64_t cost);

    shopify::GraphqlClient& m_graphql;
    Sleeper m_sleep;
    int m_page_size;
};

// The credit transactions of one `storeCreditAccount(id)` answer page (`data`).
std::vector<PlatformCredit> read_credit_transactions(const nlohmann::json& data);

}  // namespace rewardd::books
