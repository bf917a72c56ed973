// The pieces every Shopify Admin API user shares, built once: the HTTP transport, the token cache
// and the GraphQL client. `serve` hands one to the reward deliverer and the subscription keeper;
// `shop add/check` make their own.
#pragma once

#include <memory>

#include "adapters/shopify/graphql_client.hpp"

namespace rewardd::shopify {

struct AdminApi {
    AdminApi(std::unique_ptr<HttpClient> transport, AdminOptions options, GraphqlClient::MsClock clock,
             GraphqlClient::Sleeper sleep);

    std::unique_ptr<HttpClient> http;
    AccessTokens tokens;
    GraphqlClient graphql;
};

// libcurl transport, the wall clock and a real sleep.
std::shared_ptr<AdminApi> make_admin_api(AdminOptions options);
// The same over the given transport.
std::shared_ptr<AdminApi> make_admin_api(AdminOptions options, std::unique_ptr<HttpClient> transport);

}  // namespace rewardd::shopify
