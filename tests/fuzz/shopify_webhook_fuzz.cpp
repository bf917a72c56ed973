// Shopify webhook bodies through the mapper, as every topic (so the fixtures seed them all): a plan
// or a clear error, never a crash; every event planned is one the neutral reader accepts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/neutral/event_json.hpp"
#include "adapters/shopify/webhook_mapper.hpp"
#include "fuzz_check.hpp"

using namespace rewardd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static constexpr shopify::Topic k_topics[] = {
        shopify::Topic::orders_create,    shopify::Topic::orders_paid,          shopify::Topic::orders_updated,
        shopify::Topic::orders_cancelled, shopify::Topic::orders_fulfilled,     shopify::Topic::refunds_create,
        shopify::Topic::customers_create, shopify::Topic::app_uninstalled,      shopify::Topic::customers_data_request,
        shopify::Topic::customers_redact, shopify::Topic::shop_redact};
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    for (const auto topic : k_topics) {
        auto plan = shopify::plan_webhook(topic, body, "fuzz", {size % 2 == 1});
        if (!plan) {
            FUZZ_CHECK(!plan.error().message.empty());
            continue;
        }
        for (const auto& event : plan->events) FUZZ_CHECK(parse_event_json(event_to_json(event), "fuzz").ok());
    }
    (void)shopify::read_privacy_subject(body);
    return 0;
}
