// Storing the events of a Shopify order however it came, by webhook or by a sweep of the shop's
// orders: the customers' Shopify ids land in the same group commit as the events (grants and
// metafields are addressed to them), and so does the delivery's log entry when a delivery brought them.
#pragma once

#include <future>
#include <optional>
#include <vector>

#include "adapters/shopify/webhook_mapper.hpp"
#include "ingest/batch_writer.hpp"
#include "store/shop_registry.hpp"
#include "store/shopify_delivery_log.hpp"

namespace rewardd {

// The shop's own mapping choices (`test_orders = "accept"`).
shopify::MapOptions shopify_map_options(const Shop& shop);

std::future<BatchWriter::Outcome> submit_shopify_events(BatchWriter& writer, const std::vector<Event>& events,
                                                        Timestamp received_at,
                                                        std::optional<ShopifyDelivery> delivery);

}  // namespace rewardd
