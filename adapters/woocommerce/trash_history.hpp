// Trash and restore of a WooCommerce order (order.deleted, order.restored), placed among the
// order's stored events. A deleted body is only {"id": N} and carries no date; a restored body is
// the order with the restore's date_modified_gmt. Deliveries can come late or swapped (an "Undo"
// right after trashing is delivered after both happened), so each is paired by count: the n-th
// order.deleted delivery is the order's n-th cancellation ("…:deleted:<n>"), undone by its n-th
// restore, and each is timed so the engine walks it on the right side of the other:
//   trash n:   arrival, kept after restore n-1 and not after restore n
//   restore n: date_modified, kept before trash n+1 and not before trash n
// A cancellation by status is no trash (a restore of a cancelled order adds nothing). A duplicated
// order.deleted delivery counts as another trash, undone only by another restore.
// Pure: the caller passes the stored events of the order in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"

namespace rewardd::woocommerce {

// The cancellation the next order.deleted delivery stands for, on `known` (the order as rewardd
// last stored it), received at `arrived_at`.
Event trash_event(const std::string& shop_id, const std::vector<Event>& stored, const Order& known,
                  Timestamp arrived_at);

// Moves `restore` (an order.restored event) after the cancellation it undoes, if stored later
// than the restore's own date.
void place_restore(Event& restore, const std::vector<Event>& stored);

// The order as rewardd last stored it; nullopt when it never saw the order.
std::optional<Order> last_known_order(const std::vector<Event>& stored);

}  // namespace rewardd::woocommerce
