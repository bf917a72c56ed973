// Wiring of the shared Admin API pieces.
#include "admin_api.hpp"

#include <chrono>
#include <thread>

namespace rewardd::shopify {
namespace {

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

AdminApi::AdminApi(std::unique_ptr<HttpClient> transport, AdminOptions options, GraphqlClient::MsClock clock,
                   GraphqlClient::Sleeper sleep)
    : http(std::move(transport)),
      tokens(*http, options, clock),
      graphql(*http, tokens, options, clock, std::move(sleep)) {}

std::shared_ptr<AdminApi> make_admin_api(AdminOptions options) {
    return make_admin_api(std::move(options), std::make_unique<CurlHttpClient>());
}

std::shared_ptr<AdminApi> make_admin_api(AdminOptions options, std::unique_ptr<HttpClient> transport) {
    return std::make_shared<AdminApi>(std::move(transport), std::move(options), wall_ms,
                                      [](std::int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); });
}

}  // namespace rewardd::shopify
