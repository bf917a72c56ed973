#include "inbox_event.hpp"

#include "adapters/neutral/event_json.hpp"

namespace rewardd {

InboxEvent to_inbox(const Event& e, Timestamp received_at) {
    InboxEvent stored;
    stored.shop_id = e.shop_id;
    stored.event_id = e.id;
    stored.type = event_type_id(e.type);
    stored.order_id = e.order ? e.order->id : "";
    stored.occurred_at = e.occurred_at;
    stored.received_at = received_at;
    stored.body = event_to_json(e);
    return stored;
}

}  // namespace rewardd
