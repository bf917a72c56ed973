// A WooCommerce refund as GET /wc/v3/orders/<id>/refunds/<refund_id> answers it (INTEGRATION.md
// W3.4): which products it gave back, and how much shipping and fees. The order webhook names only each
// refund's total, so without this document a refund is weighed by its amount alone. Line items
// carry negative quantities and totals. REST hides their `_refunded_item_id` meta, so a refunded
// item is matched to the order's line by product, and between lines of one product by unit price.
// Depends on core and nlohmann-json only.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "core/result.hpp"

namespace rewardd::woocommerce {

struct RefundedItem {
    std::string product_id;
    std::int64_t quantity = 0;     // given back, positive
    std::int64_t total_minor = 0;  // positive; after discounts, without tax, as the order's line totals
    bool operator==(const RefundedItem&) const = default;
};

struct RefundDetail {
    std::vector<RefundedItem> items;
    std::int64_t shipping_minor = 0;  // shipping and its tax given back, positive
    std::int64_t fees_minor = 0;      // fees (fee_lines) and their tax given back, positive
    bool operator==(const RefundDetail&) const = default;
};

// Reads the refund document in the order's currency (`exponent` decimals). It must be refund
// `refund_id`; errors name the field at fault ("line_items[0].total").
Result<RefundDetail> read_refund_detail(const nlohmann::json& doc, const std::string& refund_id, int exponent);

// The detail as rewardd keeps it (store/woocommerce_refunds), in the order's minor units:
// {"items":[{"product_id":"11","quantity":1,"total_minor":7385}],"shipping_minor":0,"fees_minor":0}.
// Reading gives nullopt for a text that is not one; a text kept before fees were read has no
// "fees_minor" and reads as none.
std::string refund_detail_json(const RefundDetail& detail);
std::optional<RefundDetail> parse_refund_detail_json(std::string_view text);

// `refund` with the document's items as lines named by the order's line ids, its shipping and fees. An
// item whose product is not among the order's lines is named "product:<id>": the engine weighs a
// line it does not know across the whole order, as it weighs an amount.
Refund with_refund_detail(Refund refund, const RefundDetail& detail, const Order& order);

}  // namespace rewardd::woocommerce
