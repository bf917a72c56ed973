// Stable string ids of the outbox enums (stored in the database and shown by `rewardd outbox`).
#include "reward_deliverer.hpp"

namespace rewardd {

const char* reward_kind_id(RewardKind kind) {
    return kind == RewardKind::coupon ? "coupon" : "store_credit";
}

std::optional<RewardKind> parse_reward_kind(const std::string& id) {
    if (id == "coupon") return RewardKind::coupon;
    if (id == "store_credit") return RewardKind::store_credit;
    return std::nullopt;
}

const char* outbox_status_id(OutboxStatus status) {
    switch (status) {
        case OutboxStatus::pending: return "pending";
        case OutboxStatus::delivered: return "delivered";
        case OutboxStatus::parked: return "parked";
    }
    return "unknown";
}

std::optional<OutboxStatus> parse_outbox_status(const std::string& id) {
    if (id == "pending") return OutboxStatus::pending;
    if (id == "delivered") return OutboxStatus::delivered;
    if (id == "parked") return OutboxStatus::parked;
    return std::nullopt;
}

}  // namespace rewardd
