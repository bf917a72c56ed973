// Pairing of trashes and restores by count.
#include "trash_history.hpp"

#include <algorithm>
#include <optional>
#include <tuple>

#include "adapters/woocommerce/webhook_mapper.hpp"

namespace rewardd::woocommerce {
namespace {

constexpr const char* k_trash_marker = ":deleted:";  // ids "…:order:<id>:deleted:<n>" (trash_event)
constexpr const char* k_restore_marker = ":restored:";  // restore_event

// Business times of the stored trashes (":deleted:<n>") or restores (":restored:<date>"),
// earliest first (ties by id).
std::vector<Timestamp> times_of(const std::vector<Event>& stored, EventType type, const char* marker) {
    std::vector<const Event*> found;
    for (const auto& e : stored) {
        if (e.type == type && e.id.find(marker) != std::string::npos) found.push_back(&e);
    }
    std::sort(found.begin(), found.end(), [](const Event* a, const Event* b) {
        return std::tie(a->occurred_at, a->id) < std::tie(b->occurred_at, b->id);
    });
    std::vector<Timestamp> times;
    for (const Event* e : found) times.push_back(e->occurred_at);
    return times;
}

}  // namespace

Event trash_event(const std::string& shop_id, const std::vector<Event>& stored, const Order& known,
                  Timestamp arrived_at) {
    const auto trashes = times_of(stored, EventType::order_cancelled, k_trash_marker);
    const auto restores = times_of(stored, EventType::order_restored, k_restore_marker);
    const std::size_t n = trashes.size() + 1;
    Event e;
    e.shop_id = shop_id;
    e.id = order_event_id(shop_id, known.id, "deleted:" + std::to_string(n));
    e.type = EventType::order_cancelled;
    // After the restore before it (a second later: at the same second the restore walks last),
    // not after the restore that undoes it.
    Timestamp at = arrived_at;
    if (restores.size() >= n) at = std::min(at, restores[n - 1]);
    if (n >= 2 && restores.size() >= n - 1) at = std::max(at, restores[n - 2] + 1);
    e.occurred_at = at;
    e.order = known;
    return e;
}

void place_restore(Event& restore, const std::vector<Event>& stored) {
    std::size_t earlier = 0;
    for (const auto& e : stored) {
        if (e.id == restore.id) return;  // a repeated delivery: the stored one stands
        if (e.type == EventType::order_restored && e.occurred_at < restore.occurred_at) ++earlier;
    }
    // Before the next trash, after the one it undoes (at the same second, a restore walks last).
    const auto trashes = times_of(stored, EventType::order_cancelled, k_trash_marker);
    if (earlier + 1 < trashes.size()) restore.occurred_at = std::min(restore.occurred_at, trashes[earlier + 1] - 1);
    if (earlier < trashes.size()) restore.occurred_at = std::max(restore.occurred_at, trashes[earlier]);
}

std::optional<Order> last_known_order(const std::vector<Event>& stored) {
    for (auto it = stored.rbegin(); it != stored.rend(); ++it) {
        if (it->order) return it->order;
    }
    return std::nullopt;
}

}  // namespace rewardd::woocommerce
