// The platform-neutral event format of EVENTS.md: JSON text <-> core Event. Every validation error
// names the field at fault ("order.lines[0].total"). Depends on core and nlohmann-json only.
#pragma once

#include <string>
#include <string_view>

#include "core/event.hpp"
#include "core/result.hpp"

namespace rewardd {

// Parses and validates one event body. `shop_id` comes from the request, not the body.
Result<Event> parse_event_json(std::string_view body, const std::string& shop_id);

// The canonical JSON text of an event (what `parse_event_json` reads back to the same Event).
std::string event_to_json(const Event& event);

}  // namespace rewardd
