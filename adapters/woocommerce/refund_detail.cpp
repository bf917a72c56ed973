// Reading a refund document and naming its items by the order's lines.
#include "refund_detail.hpp"

#include <cstdlib>

#include "core/money.hpp"
#include "order_snapshot.hpp"

namespace rewardd::woocommerce {
namespace {

bool magnitude_fits(std::int64_t v, std::int64_t max) { return v >= -max && v <= max; }

Result<RefundedItem> read_item(const json& item, int exponent, const std::string& path) {
    if (!item.is_object()) return field_error(ErrorCode::invalid_field, path, "must be an object");
    RefundedItem out;
    auto product = read_id(item, "product_id", path + ".product_id");
    if (!product) return product.error();
    out.product_id = *product;
    // A count, given back as a negative one; bounded so that unit prices compare within 128 bits.
    constexpr std::int64_t k_quantity_max = 1'000'000'000;
    const auto qty = item.find("quantity");
    const bool in_range = qty != item.end() && qty->is_number_integer() &&
                          (qty->is_number_unsigned() ? qty->get<std::uint64_t>() <= k_quantity_max
                                                     : magnitude_fits(qty->get<std::int64_t>(), k_quantity_max));
    if (!in_range) {
        return field_error(ErrorCode::invalid_field, path + ".quantity",
                           "must be an integer count (at most 10^9 either way)");
    }
    out.quantity = std::abs(qty->get<std::int64_t>());
    auto total = read_money(item, "total", exponent, path + ".total", true, true);
    if (!total) return total.error();
    out.total_minor = std::abs(*total);
    return out;
}

// What the document's `shipping_lines` or `fee_lines` gave back: each line's total and its tax.
// Refund lines carry negative totals, as WooCommerce stores them; the magnitude is what went back.
Result<std::int64_t> read_given_back(const json& doc, const char* lines_key, int exponent) {
    return sum_line_amounts(doc, lines_key, {"total", "total_tax"}, exponent, [](std::int64_t v) { return std::abs(v); });
}

// The order line an item gave back: one of its product with quantity left, the one at the item's
// unit price first (two variations of a product are two lines at different prices).
const OrderLine* match_line(const RefundedItem& item, const Order& order, std::vector<std::int64_t>& left) {
    std::size_t chosen = order.lines.size();
    for (std::size_t i = 0; i < order.lines.size(); ++i) {
        const OrderLine& line = order.lines[i];
        if (line.product_id != item.product_id) continue;
        const bool room = left[i] >= item.quantity;
        const bool same_price = static_cast<__int128>(line.total_minor) * item.quantity ==
                                static_cast<__int128>(item.total_minor) * line.quantity;
        if (room && same_price) {
            chosen = i;
            break;
        }
        if (chosen == order.lines.size() || (room && left[chosen] < item.quantity)) chosen = i;
    }
    if (chosen == order.lines.size()) return nullptr;
    left[chosen] -= item.quantity;
    return &order.lines[chosen];
}

}  // namespace

Result<RefundDetail> read_refund_detail(const json& doc, const std::string& refund_id, int exponent) {
    if (!doc.is_object()) return field_error(ErrorCode::invalid_field, "refund", "must be an object");
    auto id = read_id(doc, "id", "id");
    if (!id) return id.error();
    if (*id != refund_id) return field_error(ErrorCode::invalid_field, "id", "is " + *id + ", not refund " + refund_id);
    RefundDetail detail;
    const json& items = array_or_empty(doc, "line_items");
    for (std::size_t i = 0; i < items.size(); ++i) {
        auto item = read_item(items[i], exponent, "line_items[" + std::to_string(i) + "]");
        if (!item) return item.error();
        detail.items.push_back(std::move(*item));
    }
    auto shipping = read_given_back(doc, "shipping_lines", exponent);
    if (!shipping) return shipping.error();
    detail.shipping_minor = *shipping;
    auto fees = read_given_back(doc, "fee_lines", exponent);
    if (!fees) return fees.error();
    detail.fees_minor = *fees;
    return detail;
}

std::string refund_detail_json(const RefundDetail& detail) {
    json items = json::array();
    for (const auto& item : detail.items) {
        items.push_back(
            {{"product_id", item.product_id}, {"quantity", item.quantity}, {"total_minor", item.total_minor}});
    }
    return json{{"items", std::move(items)},
                {"shipping_minor", detail.shipping_minor},
                {"fees_minor", detail.fees_minor}}
        .dump();
}

std::optional<RefundDetail> parse_refund_detail_json(std::string_view text) {
    const auto doc = json::parse(text, nullptr, false);
    const auto is_count = [](const json& obj, const char* key) {
        const auto it = obj.find(key);
        return it != obj.end() && it->is_number_integer() && it->get<std::int64_t>() >= 0;
    };
    if (!doc.is_object() || !is_count(doc, "shipping_minor") || !doc.contains("items") || !doc["items"].is_array()) {
        return std::nullopt;
    }
    RefundDetail detail;
    detail.shipping_minor = doc["shipping_minor"].get<std::int64_t>();
    if (doc.contains("fees_minor")) {
        if (!is_count(doc, "fees_minor")) return std::nullopt;
        detail.fees_minor = doc["fees_minor"].get<std::int64_t>();
    }
    for (const auto& item : doc["items"]) {
        if (!item.is_object() || !item.contains("product_id") || !item["product_id"].is_string() ||
            !is_count(item, "quantity") || !is_count(item, "total_minor")) {
            return std::nullopt;
        }
        detail.items.push_back({item["product_id"].get<std::string>(), item["quantity"].get<std::int64_t>(),
                                item["total_minor"].get<std::int64_t>()});
    }
    return detail;
}

Refund with_refund_detail(Refund refund, const RefundDetail& detail, const Order& order) {
    std::vector<std::int64_t> left;
    for (const auto& line : order.lines) left.push_back(line.quantity);
    refund.lines.clear();
    for (const auto& item : detail.items) {
        const OrderLine* line = match_line(item, order, left);
        refund.lines.push_back({line ? line->id : "product:" + item.product_id, item.quantity, item.total_minor});
    }
    refund.shipping_minor = detail.shipping_minor;
    refund.fees_minor = detail.fees_minor;
    return refund;
}

}  // namespace rewardd::woocommerce
