// WooCommerce order snapshots (webhook bodies) through the mapper, as every topic (so the fixtures
// seed them all): a plan or a clear error, never a crash; every event planned is one the neutral
// reader accepts. The same bytes as a refund document (GET orders/<id>/refunds/<id>, which the
// fixtures seed too): read or refused clearly, kept in a form that reads back the same, its items
// matched to an order's lines one for one.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "adapters/neutral/event_json.hpp"
#include "adapters/woocommerce/refund_detail.hpp"
#include "adapters/woocommerce/webhook_mapper.hpp"
#include "fuzz_check.hpp"

using namespace rewardd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const woocommerce::StatusMap statuses;
    static constexpr woocommerce::Topic k_topics[] = {
        woocommerce::Topic::order_created, woocommerce::Topic::order_updated, woocommerce::Topic::order_deleted,
        woocommerce::Topic::order_restored, woocommerce::Topic::customer_created};
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    std::optional<Order> order;
    for (const auto topic : k_topics) {
        auto plan = woocommerce::plan_delivery(topic, body, "fuzz", statuses);
        if (!plan) {
            FUZZ_CHECK(!plan.error().message.empty());
            continue;
        }
        for (const auto& event : plan->events) {
            FUZZ_CHECK(parse_event_json(event_to_json(event), "fuzz").ok());
            if (event.order && !order) order = event.order;
        }
    }
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    const std::string id = doc.is_object() && doc.contains("id") ? doc["id"].dump() : "41";
    for (const int exponent : {0, 2, 3}) {
        auto detail = woocommerce::read_refund_detail(doc, id, exponent);
        if (!detail) {
            FUZZ_CHECK(!detail.error().message.empty());
            continue;
        }
        const auto kept = woocommerce::parse_refund_detail_json(woocommerce::refund_detail_json(*detail));
        FUZZ_CHECK(kept && *kept == *detail);
        const Refund refund =
            woocommerce::with_refund_detail(Refund{id, 0, {}, "", 0}, *detail, order.value_or(Order{}));
        FUZZ_CHECK(refund.lines.size() == detail->items.size());
    }
    return 0;
}
