// Refund mapping. Claw-back follows refund_line_items (the merchandise value); transactions are
// the money returned and only give the refund's amount (INTEGRATION.md S3.1, P9). Transactions are
// in the buyer's (presentment) currency, which for Shopify Markets orders is not the shop's.
#include "refund_mapper.hpp"

#include "adapters/shopify/order_mapper.hpp"
#include "core/money.hpp"

namespace rewardd::shopify {
namespace {

#define TRY_ASSIGN(target, expr)    \
    do {                            \
        auto _r = (expr);           \
        if (!_r) return _r.error(); \
        target = std::move(*_r);    \
    } while (0)

const json& array_or_empty(const json& obj, const char* key) {
    static const json empty = json::array();
    const auto it = obj.find(key);
    return it != obj.end() && it->is_array() ? *it : empty;
}

bool is_successful_refund(const json& t) {
    return read_string(t, "kind") == "refund" && read_string(t, "status") == "success";
}

}  // namespace

std::string refund_currency(const json& refund) {
    const auto shop_currency = [](const json& item, const char* set_key) {
        const auto set = item.find(set_key);
        if (set == item.end() || !set->is_object() || !set->contains("shop_money")) return std::string{};
        return read_string(set->at("shop_money"), "currency_code");
    };
    for (const auto& item : array_or_empty(refund, "refund_line_items")) {
        if (const std::string code = shop_currency(item, "subtotal_set"); !code.empty()) return code;
    }
    for (const auto& item : array_or_empty(refund, "refund_shipping_lines")) {
        if (const std::string code = shop_currency(item, "subtotal_amount_set"); !code.empty()) return code;
    }
    for (const auto& t : array_or_empty(refund, "transactions")) {
        const std::string code = read_string(t, "currency");
        if (is_successful_refund(t) && !code.empty()) return code;
    }
    return {};
}

Result<Refund> refund_from_json(const json& doc, const std::string& currency, const std::string& path) {
    if (!doc.is_object()) return field_error(ErrorCode::invalid_field, path, "must be an object");
    Refund refund;
    TRY_ASSIGN(refund.id, read_id(doc, "id", path + ".id", true));
    const json& items = array_or_empty(doc, "refund_line_items");
    std::int64_t lines_sum = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string item_path = path + ".refund_line_items[" + std::to_string(i) + "]";
        RefundLine line;
        TRY_ASSIGN(line.line_id, read_id(items[i], "line_item_id", item_path + ".line_item_id", true));
        const auto qty = items[i].find("quantity");
        line.quantity = qty != items[i].end() && qty->is_number_integer() ? qty->get<std::int64_t>() : 0;
        TRY_ASSIGN(line.total_minor, read_shop_money(items[i], "subtotal", "subtotal_set", currency,
                                                     item_path + ".subtotal", true));
        const auto sum = add_amounts(lines_sum, line.total_minor);
        if (!sum) return field_error(ErrorCode::amount_out_of_range, item_path + ".subtotal", "makes the sum too large");
        lines_sum = *sum;
        refund.lines.push_back(std::move(line));
    }
    // Shipping given back (refund_shipping_lines, shop money, with its tax): it earned nothing.
    const json& shipping = array_or_empty(doc, "refund_shipping_lines");
    for (std::size_t i = 0; i < shipping.size(); ++i) {
        const std::string item_path = path + ".refund_shipping_lines[" + std::to_string(i) + "]";
        for (const char* part : {"subtotal_amount", "tax_amount"}) {
            std::int64_t amount = 0;
            const std::string set_key = std::string(part) + "_set";
            TRY_ASSIGN(amount, read_shop_money(shipping[i], part, set_key.c_str(), currency, item_path + "." + part));
            const auto sum = amount < 0 ? std::nullopt : add_amounts(refund.shipping_minor, amount);
            if (!sum) return field_error(ErrorCode::amount_out_of_range, item_path + "." + part, "is out of range");
            refund.shipping_minor = *sum;
        }
    }
    std::int64_t returned = 0, returned_elsewhere = 0;
    bool any_transaction = false;
    std::string elsewhere;  // the one other currency money was returned in, if any
    bool several_elsewhere = false;
    const json& transactions = array_or_empty(doc, "transactions");
    for (std::size_t i = 0; i < transactions.size(); ++i) {
        const json& t = transactions[i];
        if (!is_successful_refund(t)) continue;
        const std::string code = read_string(t, "currency");
        const std::string amount_path = path + ".transactions[" + std::to_string(i) + "].amount";
        if (!code.empty() && code != currency) {
            // The buyer's (presentment) money: kept aside, for a refund that tells nothing else.
            const auto amount = t.contains("amount") ? parse_amount(t.at("amount"), code, amount_path)
                                                     : Result<std::int64_t>(std::int64_t{0});
            if (!amount || (!elsewhere.empty() && elsewhere != code)) {
                several_elsewhere = true;
                continue;
            }
            const auto sum = add_amounts(returned_elsewhere, *amount);
            if (!sum) return field_error(ErrorCode::amount_out_of_range, amount_path, "makes the sum too large");
            returned_elsewhere = *sum;
            elsewhere = code;
            continue;
        }
        std::int64_t amount = 0;
        TRY_ASSIGN(amount, read_shop_money(t, "amount", "amount_set", currency, amount_path, true));
        const auto sum = add_amounts(returned, amount);
        if (!sum) return field_error(ErrorCode::amount_out_of_range, amount_path, "makes the sum too large");
        returned = *sum;
        any_transaction = true;
    }
    if (any_transaction) {
        refund.amount_minor = returned;
    } else if (!refund.lines.empty() || elsewhere.empty() || several_elsewhere) {
        refund.amount_minor = lines_sum;
    } else {
        // An amount-only refund of an order paid in the buyer's currency: the engine weighs it at
        // the order's own rate (its total in both currencies).
        refund.amount_minor = returned_elsewhere;
        refund.currency = elsewhere;
    }
    return refund;
}

Result<std::optional<Event>> refund_event(const json& doc, const std::string& shop_id) {
    if (!doc.is_object()) return field_error(ErrorCode::invalid_field, "refund", "must be an object");
    const std::string currency = refund_currency(doc);
    if (currency.empty()) return std::optional<Event>{};
    if (!currency_exponent(currency)) {
        return field_error(ErrorCode::unknown_currency, "currency", "unknown ISO 4217 currency");
    }
    Event e;
    e.shop_id = shop_id;
    e.type = EventType::order_refunded;
    Order stub;
    TRY_ASSIGN(stub.id, read_id(doc, "order_id", "order_id", true));
    stub.currency = currency;
    Refund refund;
    TRY_ASSIGN(refund, refund_from_json(doc, currency, "refund"));
    const char* when = read_string(doc, "processed_at").empty() ? "created_at" : "processed_at";
    TRY_ASSIGN(e.occurred_at, read_time(doc, when, when));
    e.id = order_event_id(shop_id, stub.id, "refund:" + refund.id);
    e.order = std::move(stub);
    e.refund = std::move(refund);
    return std::optional<Event>{std::move(e)};
}

}  // namespace rewardd::shopify
