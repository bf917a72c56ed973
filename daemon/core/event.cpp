// Names of event types as they appear on the wire and in the event log.
#include "event.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace rewardd {
namespace {

constexpr std::array<std::pair<EventType, std::string_view>, 8> k_names{{
    {EventType::order_placed, "order.placed"},
    {EventType::order_paid, "order.paid"},
    {EventType::order_completed, "order.completed"},
    {EventType::order_cancelled, "order.cancelled"},
    {EventType::order_refunded, "order.refunded"},
    {EventType::order_restored, "order.restored"},
    {EventType::customer_created, "customer.created"},
    {EventType::points_adjusted, "points.adjusted"},
}};

}  // namespace

const char* event_type_id(EventType type) {
    for (const auto& [t, name] : k_names) {
        if (t == type) return name.data();
    }
    return "unknown";
}

std::optional<EventType> parse_event_type(std::string_view id) {
    for (const auto& [t, name] : k_names) {
        if (name == id) return t;
    }
    return std::nullopt;
}

bool is_order_event(EventType type) {
    return type != EventType::customer_created && type != EventType::points_adjusted;
}

bool is_caller_id(std::string_view id) {
    if (id.empty() || id.size() > 100) return false;
    for (const unsigned char c : id) {
        if (!std::isalnum(c) && c != '_' && c != '-' && c != '.') return false;
    }
    return true;
}

}  // namespace rewardd
