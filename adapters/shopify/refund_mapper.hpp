// Shopify refund JSON (refunds/create body, or an entry of an order's refunds[]) -> the neutral
// refund: lines from refund_line_items (shop money), amount from the successful refund
// transactions. Pure; depends on core and nlohmann-json only.
#pragma once

#include <optional>
#include <string>

#include "adapters/shopify/shopify_fields.hpp"
#include "core/event.hpp"

namespace rewardd::shopify {

Result<Refund> refund_from_json(const json& refund, const std::string& currency, const std::string& path);

// The shop currency a bare refund is in: its lines' shop_money currency, else its transactions'.
std::string refund_currency(const json& refund);

// refunds/create: one order.refunded event whose order is a stub (id and currency); nullopt when
// the refund carries no amount in any currency (nothing to claw back).
Result<std::optional<Event>> refund_event(const json& refund, const std::string& shop_id);

}  // namespace rewardd::shopify
