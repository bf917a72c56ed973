// One verified WooCommerce webhook delivery (topic + raw body) -> the neutral events it implies.
// A delivery is a snapshot built when WooCommerce sent it ("the order now looks like this",
// INTEGRATION.md W1.5), so every fact the snapshot shows becomes an event with a deterministic id
// (placed, paid, completed, each refund by its id, cancelled, restored). The inbox keeps one event per id,
// so what rewardd already knew of the order is the set of its stored events, committed in the
// same transaction as anything new: repeated, coalesced and reordered deliveries add only the
// missing facts. Pure and fast: the HTTP handler answers well inside WooCommerce's time limit.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/woocommerce/order_snapshot.hpp"
#include "adapters/woocommerce/status_map.hpp"

namespace rewardd::woocommerce {

enum class Topic { order_created, order_updated, order_deleted, order_restored, customer_created };

std::optional<Topic> parse_topic(std::string_view text);  // "order.updated" -> order_updated

// The ping WooCommerce sends when a webhook is saved: form-encoded "webhook_id=<digits>", unsigned.
bool is_ping(std::string_view body);

// "woocommerce:<shop>:order:<order>:<suffix>"
std::string order_event_id(const std::string& shop_id, const std::string& order_id, const std::string& suffix);

struct DeliveryPlan {
    std::vector<Event> events;
    std::string deleted_order_id;  // order.deleted: the body has only the id (see trash_history.hpp)
    std::string note;              // why nothing is stored, for the log
};

Result<DeliveryPlan> plan_delivery(Topic topic, std::string_view body, const std::string& shop_id,
                                   const StatusMap& statuses);

// Every event the snapshot implies, in business order.
std::vector<Event> order_events(const OrderSnapshot& snapshot, const std::string& shop_id,
                                const StatusMap& statuses);

// order.restored showing a paid or completed order: it counts again from the restore, keyed
// "restored:<date_modified_gmt>". A restored order in any other status changes nothing: a real
// cancellation stays final, an unpaid order never earned.
std::optional<Event> restore_event(const OrderSnapshot& snapshot, const std::string& shop_id,
                                   const StatusMap& statuses);

}  // namespace rewardd::woocommerce
