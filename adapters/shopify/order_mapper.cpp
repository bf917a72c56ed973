// Order snapshot mapping. Line base = price x quantity - sum(discount_allocations), minus the
// line's taxes when prices include tax; all in shop money.
#include "order_mapper.hpp"

#include <cctype>

#include "adapters/shopify/refund_mapper.hpp"
#include "core/customer_key.hpp"
#include "core/money.hpp"

namespace rewardd::shopify {
namespace {

#define TRY_ASSIGN(target, expr)    \
    do {                            \
        auto _r = (expr);           \
        if (!_r) return _r.error(); \
        target = std::move(*_r);    \
    } while (0)

bool truthy(const json& obj, const char* key) {
    const auto it = obj.find(key);
    return it != obj.end() && it->is_boolean() && it->get<bool>();
}

const json& array_or_empty(const json& obj, const char* key) {
    static const json empty = json::array();
    const auto it = obj.find(key);
    return it != obj.end() && it->is_array() ? *it : empty;
}

// Sum of `<entries>[].<key>` (shop money) in one currency.
Result<std::int64_t> sum_amounts(const json& entries, const char* key, const char* set_key,
                                 const std::string& currency, const std::string& path) {
    std::int64_t total = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        std::int64_t amount = 0;
        const std::string entry_path = path + "[" + std::to_string(i) + "]." + key;
        TRY_ASSIGN(amount, read_shop_money(entries[i], key, set_key, currency, entry_path, true));
        const auto sum = add_amounts(total, amount);
        if (!sum) return field_error(ErrorCode::amount_out_of_range, entry_path, "makes the sum too large");
        total = *sum;
    }
    return total;
}

// The buyer's currency and the order's total in it (total_price_set.presentment_money), when not
// the shop's: what a refund in the buyer's money is weighed against. Left out when unreadable (an
// unknown currency, a malformed amount): it only weighs such refunds, and the order itself is fine.
std::optional<Order::Presentment> read_presentment(const json& doc, const std::string& shop_currency) {
    const auto set = doc.find("total_price_set");
    if (set == doc.end() || !set->is_object()) return std::nullopt;
    const auto money = set->find("presentment_money");
    if (money == set->end() || !money->is_object() || !money->contains("amount")) return std::nullopt;
    Order::Presentment p;
    p.currency = read_string(*money, "currency_code");
    if (p.currency.empty() || p.currency == shop_currency) return std::nullopt;
    auto total = parse_amount(money->at("amount"), p.currency, "total_price_set.presentment_money.amount");
    if (!total || *total < 0) return std::nullopt;
    p.total_minor = *total;
    return p;
}

Result<OrderLine> read_line(const json& item, const std::string& currency, bool taxes_included,
                            const std::string& path) {
    if (!item.is_object()) return field_error(ErrorCode::invalid_field, path, "must be an object");
    OrderLine line;
    TRY_ASSIGN(line.id, read_id(item, "id", path + ".id", true));
    TRY_ASSIGN(line.product_id, read_id(item, "product_id", path + ".product_id", false));
    const auto qty = item.find("quantity");
    if (qty == item.end() || !qty->is_number_integer() || qty->get<std::int64_t>() < 0) {
        return field_error(ErrorCode::invalid_field, path + ".quantity", "must be a non-negative integer");
    }
    line.quantity = qty->get<std::int64_t>();
    std::int64_t price = 0, discounts = 0, taxes = 0;
    TRY_ASSIGN(price, read_shop_money(item, "price", "price_set", currency, path + ".price", true));
    if (price < 0) return field_error(ErrorCode::amount_out_of_range, path + ".price", "must not be negative");
    TRY_ASSIGN(discounts, sum_amounts(array_or_empty(item, "discount_allocations"), "amount", "amount_set",
                                      currency, path + ".discount_allocations"));
    if (taxes_included) {
        TRY_ASSIGN(taxes, sum_amounts(array_or_empty(item, "tax_lines"), "price", "price_set", currency,
                                      path + ".tax_lines"));
    }
    const auto gross = multiply_amount(price, line.quantity);
    if (!gross) return field_error(ErrorCode::amount_out_of_range, path + ".quantity", "times the price is too large");
    line.total_minor = std::max<std::int64_t>(0, *gross - discounts - taxes);  // each within ±INT64_MAX / 1000
    return line;
}

CustomerRef read_customer(const json& order) {
    CustomerRef ref;
    std::string email;
    if (const auto c = order.find("customer"); c != order.end() && c->is_object()) {
        if (auto id = read_id(*c, "id", "customer.id", false); id) ref.id = *id;
        email = read_string(*c, "email");
    }
    if (email.empty()) email = read_string(order, "email");
    if (email.empty()) email = read_string(order, "contact_email");
    ref.email = normalise_email(email);
    if (ref.email.find('@') == std::string::npos) ref.email.clear();
    return ref;
}

// A redemption ("RWD-") or cashback ("CB-") code rewardd issued: never someone's referral code.
bool issued_by_rewardd(const std::string& code) {
    std::string head = code.substr(0, 4);
    for (char& c : head) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return head == "RWD-" || head.rfind("CB-", 0) == 0;
}

std::optional<std::string> read_referral_code(const json& order) {
    for (const auto& attr : array_or_empty(order, "note_attributes")) {
        const std::string name = read_string(attr, "name");
        const std::string value = read_string(attr, "value");
        if ((name == "rewardd_referral_code" || name == "ref") && fits_referral_code(value)) return value;
    }
    for (const auto& code : array_or_empty(order, "discount_codes")) {
        const std::string text = read_string(code, "code");
        if (fits_referral_code(text) && !issued_by_rewardd(text)) return text;
    }
    return std::nullopt;
}

// The discount codes the order used (discount_codes[].code).
std::vector<std::string> read_discount_codes(const json& order) {
    std::vector<std::string> codes;
    for (const auto& code : array_or_empty(order, "discount_codes")) {
        const std::string text = read_string(code, "code");
        if (!text.empty() && text.size() <= 100 && codes.size() < 50) codes.push_back(text);
    }
    return codes;
}

// When a fulfilled order was completed: its last successful fulfilment, which every later
// snapshot repeats (updated_at moves with any edit, so it is only the fallback).
Result<Timestamp> fulfilled_at(const json& order) {
    std::optional<Timestamp> last;
    const json& fulfillments = array_or_empty(order, "fulfillments");
    for (std::size_t i = 0; i < fulfillments.size(); ++i) {
        const json& f = fulfillments[i];
        if (!f.is_object() || read_string(f, "status") != "success" || read_string(f, "created_at").empty()) continue;
        Timestamp at = 0;
        TRY_ASSIGN(at, read_time(f, "created_at", "fulfillments[" + std::to_string(i) + "].created_at"));
        last = std::max(last.value_or(at), at);
    }
    if (last) return *last;
    return read_time(order, "updated_at", "updated_at");
}

Event make_event(const std::string& shop_id, const Order& order, EventType type, const std::string& suffix,
                 Timestamp at) {
    Event e;
    e.shop_id = shop_id;
    e.id = order_event_id(shop_id, order.id, suffix);
    e.type = type;
    e.occurred_at = at;
    e.order = order;
    return e;
}

}  // namespace

std::string order_event_id(const std::string& shop_id, const std::string& order_id, const std::string& suffix) {
    return "shopify:" + shop_id + ":order:" + order_id + ":" + suffix;
}

bool is_test_order(const json& order) { return truthy(order, "test"); }

const KeptMembers& order_members() {
    static const KeptMembers members{
        {"id", "currency", "customer", "email", "contact_email", "taxes_included", "line_items", "total_tax",
         "total_tax_set", "total_shipping_price", "total_shipping_price_set", "total_price", "total_price_set",
         "note_attributes", "discount_codes", "created_at", "financial_status", "processed_at", "refunds",
         "cancelled_at", "updated_at", "test", "fulfillment_status", "fulfillments"},
        "line_items",
        {"gift_card", "id", "product_id", "quantity", "price", "price_set", "discount_allocations", "tax_lines"}};
    return members;
}

Result<Order> order_from_json(const json& doc) {
    if (!doc.is_object()) return field_error(ErrorCode::invalid_field, "order", "must be an object");
    Order order;
    TRY_ASSIGN(order.id, read_id(doc, "id", "id", true));
    order.currency = read_string(doc, "currency");
    if (!currency_exponent(order.currency)) {
        return field_error(ErrorCode::unknown_currency, "currency", "unknown ISO 4217 currency");
    }
    order.customer = read_customer(doc);
    const bool taxes_included = truthy(doc, "taxes_included");
    if (doc.contains("line_items") && !doc["line_items"].is_array()) {
        return field_error(ErrorCode::invalid_field, "line_items", "must be an array");
    }
    const json& items = array_or_empty(doc, "line_items");
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string path = "line_items[" + std::to_string(i) + "]";
        if (items[i].is_object() && truthy(items[i], "gift_card")) {  // buying a gift card earns nothing
            std::string id;
            TRY_ASSIGN(id, read_id(items[i], "id", path + ".id", true));
            order.non_earning_lines.push_back(std::move(id));
            continue;
        }
        OrderLine line;
        TRY_ASSIGN(line, read_line(items[i], order.currency, taxes_included, path));
        order.lines.push_back(std::move(line));
    }
    // Discounts are inside the line totals through discount_allocations (shipping ones only touch
    // shipping), so the order-level discount is 0 (INTEGRATION.md N1b).
    TRY_ASSIGN(order.tax_minor, read_shop_money(doc, "total_tax", "total_tax_set", order.currency, "total_tax"));
    TRY_ASSIGN(order.shipping_minor, read_shop_money(doc, "total_shipping_price", "total_shipping_price_set",
                                                     order.currency, "total_shipping_price"));
    TRY_ASSIGN(order.total_minor,
               read_shop_money(doc, "total_price", "total_price_set", order.currency, "total_price", true));
    order.presentment = read_presentment(doc, order.currency);
    order.referral_code = read_referral_code(doc);
    order.codes = read_discount_codes(doc);
    return order;
}

Result<std::vector<Event>> order_events(const json& doc, const std::string& shop_id) {
    Order order;
    TRY_ASSIGN(order, order_from_json(doc));
    std::vector<Event> events;
    Timestamp created_at = 0;
    TRY_ASSIGN(created_at, read_time(doc, "created_at", "created_at"));
    events.push_back(make_event(shop_id, order, EventType::order_placed, "placed", created_at));

    const std::string financial = read_string(doc, "financial_status");
    if (financial == "paid" || financial == "partially_refunded" || financial == "refunded") {
        // Shopify's order has no paid-at field; processed_at is the snapshot-independent choice.
        Timestamp paid_at = created_at;
        if (!read_string(doc, "processed_at").empty()) TRY_ASSIGN(paid_at, read_time(doc, "processed_at", "processed_at"));
        events.push_back(make_event(shop_id, order, EventType::order_paid, "paid", paid_at));
    }
    // Completion, for shops that release points on fulfilment (INTEGRATION.md N1); the engine
    // earns only on paid, so a fulfilled order not yet paid earns nothing from this.
    if (read_string(doc, "fulfillment_status") == "fulfilled") {
        Timestamp at = 0;
        TRY_ASSIGN(at, fulfilled_at(doc));
        events.push_back(make_event(shop_id, order, EventType::order_completed, "completed", at));
    }
    const json& refunds = array_or_empty(doc, "refunds");
    for (std::size_t i = 0; i < refunds.size(); ++i) {
        const std::string path = "refunds[" + std::to_string(i) + "]";
        Refund refund;
        TRY_ASSIGN(refund, refund_from_json(refunds[i], order.currency, path));
        Timestamp at = 0;
        const char* when = read_string(refunds[i], "processed_at").empty() ? "created_at" : "processed_at";
        TRY_ASSIGN(at, read_time(refunds[i], when, path + "." + when));
        Event e = make_event(shop_id, order, EventType::order_refunded, "refund:" + refund.id, at);
        e.refund = std::move(refund);
        events.push_back(std::move(e));
    }
    if (!read_string(doc, "cancelled_at").empty() || financial == "voided") {
        Timestamp at = 0;
        const char* when = read_string(doc, "cancelled_at").empty() ? "updated_at" : "cancelled_at";
        TRY_ASSIGN(at, read_time(doc, when, when));
        events.push_back(make_event(shop_id, order, EventType::order_cancelled, "cancelled", at));
    }
    return events;
}

}  // namespace rewardd::shopify
