// Shopify refund JSON (refunds/create body, or an entry of an order's refunds[]) -> the neutral
// refund: lines from refund_line_items (shop money), amount from the successful refund
// transactions. Pure; depends on core and nlohmann-json only.
#pragma once

#include <optional>
#include <string>

#include "adapters/shopify/shopify_fields.hpp"
#include "core/event.hpp"

namespace rewardd::shopify {

// `currency` is the order's (or the bare refund's, refund_currency). An amount-only refund whose
// money went back only in another currency (the buyer's) carries that amount and currency.
Result<Refund> refund_from_json(const json& refund, const std::string& currency, const std::string& path);

// The currency a bare refund is in: its lines' shop_money currency, else its transactions' (the
// buyer's, which for an order paid in another currency is not the shop's; the event's stub order
// then names it, and the engine weighs the amount at the order's rate).
std::string refund_currency(const json& refund);

// refunds/create: one order.refunded event whose order is a stub (id and currency); nullopt when
// the refund carries no amount in any currency (nothing to claw back).
Result<std::optional<Event>> refund_event(const json& refund, const std::string& shop_id);

}  // namespace rewardd::shopify
