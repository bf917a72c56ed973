// Shopify order JSON (the REST representation webhooks carry) -> neutral order events, following
// INTEGRATION.md N1/N1b. A snapshot yields every transition it shows (placed, paid, completed when
// fulfilled, each refund, cancelled), each with a deterministic id, so repeats and late snapshots
// become inbox duplicates.
// Pure: no I/O, no clock, no business rules.
#pragma once

#include <string>
#include <vector>

#include "adapters/shopify/literal_json.hpp"
#include "adapters/shopify/shopify_fields.hpp"
#include "core/event.hpp"

namespace rewardd::shopify {

// "shopify:{shop}:order:{order}:{suffix}"
std::string order_event_id(const std::string& shop_id, const std::string& order_id, const std::string& suffix);

// The neutral order: shop currency, original quantities and amounts (never current_*, so every
// snapshot of one order gives the same order object), gift-card lines left out.
Result<Order> order_from_json(const json& order);

// All transitions the snapshot shows. Test orders are the caller's decision (see is_test_order).
Result<std::vector<Event>> order_events(const json& order, const std::string& shop_id);

bool is_test_order(const json& order);

// The members of an order (and of each of its line_items) that order_events and is_test_order
// read: parsing a webhook body may leave out the rest (see parse_literal_json). Kept beside the
// code that reads them; a member read here and missing from the list would read as absent.
const KeptMembers& order_members();

}  // namespace rewardd::shopify
