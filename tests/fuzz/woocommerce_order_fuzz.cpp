// WooCommerce order snapshots (webhook bodies) through the mapper, as every topic (so the fixtures
// seed them all): a plan or a clear error, never a crash; every event planned is one the neutral
// reader accepts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/neutral/event_json.hpp"
#include "adapters/woocommerce/webhook_mapper.hpp"
#include "fuzz_check.hpp"

using namespace rewardd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const woocommerce::StatusMap statuses;
    static constexpr woocommerce::Topic k_topics[] = {
        woocommerce::Topic::order_created, woocommerce::Topic::order_updated, woocommerce::Topic::order_deleted,
        woocommerce::Topic::order_restored, woocommerce::Topic::customer_created};
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    for (const auto topic : k_topics) {
        auto plan = woocommerce::plan_delivery(topic, body, "fuzz", statuses);
        if (!plan) {
            FUZZ_CHECK(!plan.error().message.empty());
            continue;
        }
        for (const auto& event : plan->events) FUZZ_CHECK(parse_event_json(event_to_json(event), "fuzz").ok());
    }
    return 0;
}
