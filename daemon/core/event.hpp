// Platform-neutral events: what adapters produce and the engine consumes (EVENTS.md). Amounts are
// integer minor units of the order's currency.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "timestamp.hpp"

namespace rewardd {

enum class EventType {
    order_placed,
    order_paid,
    order_completed,
    order_cancelled,
    order_refunded,
    order_restored,   // taken back out of the trash: a cancelled order counts again (EVENTS.md)
    customer_created,
    points_adjusted,  // a manual adjustment (CLI or admin API), kept in the event log for replay
};

const char* event_type_id(EventType type);  // "order.paid", ...
std::optional<EventType> parse_event_type(std::string_view id);

struct CustomerRef {
    std::string id;     // the platform's customer id; empty for guests
    std::string email;  // normalised (trimmed, lower-case); may be empty
};

struct OrderLine {
    std::string id;
    std::string product_id;
    std::vector<std::string> categories;
    std::int64_t quantity = 0;
    std::int64_t total_minor = 0;  // after line discounts, without tax
};

// The longest referral code an order may carry: platforms hand it over from what the shopper
// typed (a cart attribute, an order meta), so a longer one is no code rewardd gave out.
inline constexpr std::size_t k_referral_code_max = 64;
inline bool fits_referral_code(std::string_view code) {
    return !code.empty() && code.size() <= k_referral_code_max;
}

// An id a caller chooses for its own idempotency (a redemption id, an adjustment id): 1-100 of
// [A-Za-z0-9_.-]. No ':', since it becomes a segment of ledger keys ("<shop>:redeem:<id>" and
// its ":commit" and ":release" steps): an id "x:release" would take the key of x's release.
bool is_caller_id(std::string_view id);

struct Order {
    std::string id;
    std::string currency;
    CustomerRef customer;
    std::vector<OrderLine> lines;
    std::int64_t discount_minor = 0;  // order-level discount not already inside the lines
    std::int64_t tax_minor = 0;
    std::int64_t shipping_minor = 0;
    std::int64_t total_minor = 0;
    std::optional<std::string> referral_code;
    // Discount codes the order used, as the platform lists them (WooCommerce coupon_lines, Shopify
    // discount_codes); a rewardd redemption code among them commits its reservation.
    std::vector<std::string> codes;
    // The buyer's currency when it is not the shop's (Shopify Markets): the order's total in it,
    // which with `total_minor` is the rate a refund in the buyer's money is weighed at.
    struct Presentment {
        std::string currency;
        std::int64_t total_minor = 0;
        bool operator==(const Presentment&) const = default;
    };
    std::optional<Presentment> presentment;
    // Lines the platform lists but that earn nothing by nature (a Shopify gift card bought): not
    // in `lines`, and a refund of them takes no points back from the others.
    std::vector<std::string> non_earning_lines;
};

struct RefundLine {
    std::string line_id;
    std::int64_t quantity = 0;
    std::int64_t total_minor = 0;
};

struct Refund {
    std::string id;
    std::int64_t amount_minor = 0;
    std::vector<RefundLine> lines;  // empty for an amount-only refund
    // The currency `amount_minor` is in when it is not the event's order currency: a Shopify
    // refund that only tells the money returned, in the buyer's currency. Lines are always in the
    // order's currency.
    std::string currency;
    // Of the amount: shipping (with its tax) given back, in the order's currency. It earned no
    // points, so an amount-only refund takes back only what is left beside it.
    std::int64_t shipping_minor = 0;
    // Of the amount: fees (WooCommerce fee lines, with their tax) given back. Fees are not
    // merchandise and earned nothing either, so they are left aside like shipping.
    std::int64_t fees_minor = 0;
};

struct Adjustment {
    std::int64_t points = 0;
    std::string reason;
};

struct Event {
    std::string shop_id;
    std::string id;  // unique per shop: the inbox idempotency key
    EventType type = EventType::order_placed;
    Timestamp occurred_at = 0;
    std::optional<Order> order;            // order.* events
    std::optional<Refund> refund;          // order.refunded
    std::optional<CustomerRef> customer;   // customer.created, points.adjusted
    std::optional<std::string> referral_code;  // customer.created
    std::optional<Adjustment> adjustment;  // points.adjusted
};

bool is_order_event(EventType type);

}  // namespace rewardd
