// The platform-neutral contract of the outbox: an issued reward (committed in the same transaction
// as its ledger entry) and the per-platform deliverer that creates it on the shop. One
// RewardDeliverer per platform (woocommerce, shopify, ...); the OutboxWorker owns retries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/timestamp.hpp"
#include "store/shop_registry.hpp"

namespace rewardd {

// What the platform is asked to create. Everything a deliverer needs is in here (no ledger reads),
// so a delivery after a restart sends exactly what was committed.
enum class RewardKind { coupon, store_credit };
const char* reward_kind_id(RewardKind kind);  // "coupon", "store_credit"
std::optional<RewardKind> parse_reward_kind(const std::string& id);

struct RewardGrant {
    std::string grant_id;       // the idempotency key, e.g. "redeem-<...>"; also the ledger entry's
    std::string shop_id;
    RewardKind kind = RewardKind::coupon;
    std::string code;           // deterministic from grant_id ([A-Z0-9-]); empty for store credit
    std::int64_t amount_minor = 0;
    std::string currency;
    std::string customer_email;        // normalised; the coupon is restricted to it
    std::string customer_platform_id;  // the platform's customer id, when known
    std::optional<Timestamp> expires_at;
    std::string description;
    std::int64_t minimum_subtotal_minor = 0;  // a code's minimum order subtotal (0: none); see
                                              // redemption_minimum_subtotal (core/redemption.hpp)
};

enum class OutboxStatus { pending, delivered, parked };
const char* outbox_status_id(OutboxStatus status);
std::optional<OutboxStatus> parse_outbox_status(const std::string& id);

// One row of the durable outbox.
struct OutboxItem {
    std::int64_t id = 0;
    RewardGrant grant;
    OutboxStatus status = OutboxStatus::pending;
    int attempts = 0;
    std::int64_t next_attempt_at_ms = 0;  // unix milliseconds
    std::string last_error;               // why the last attempt failed (or why it is parked)
    std::string platform_ref;             // what the platform calls it once delivered (coupon id)
    Timestamp created_at = 0;
    Timestamp updated_at = 0;
};

// How one delivery attempt went. `retry` is for transient trouble (5xx, 429, timeouts, network);
// `permanent` parks the item until an operator runs `rewardd outbox retry ID`.
enum class DeliveryStatus { delivered, retry, permanent };

struct DeliveryOutcome {
    DeliveryStatus status = DeliveryStatus::retry;
    std::string detail;                         // platform reference, or the failure reason
    std::optional<std::int64_t> retry_after_ms;  // the platform's Retry-After, when it gave one

    static DeliveryOutcome delivered(std::string ref) { return {DeliveryStatus::delivered, std::move(ref), {}}; }
    static DeliveryOutcome retry(std::string why, std::optional<std::int64_t> after_ms = {}) {
        return {DeliveryStatus::retry, std::move(why), after_ms};
    }
    static DeliveryOutcome permanent(std::string why) { return {DeliveryStatus::permanent, std::move(why), {}}; }
};

// Implemented once per platform (adapters/woocommerce, adapters/shopify). Must be idempotent per
// grant_id: a repeat after a crash or a lost response must find the earlier reward, not make a
// second one. Called from the outbox worker thread only, one item at a time.
class RewardDeliverer {
public:
    virtual ~RewardDeliverer() = default;
    virtual std::string platform() const = 0;  // matches Shop::platform
    virtual DeliveryOutcome deliver(const Shop& shop, const RewardGrant& grant) = 0;
};

}  // namespace rewardd
