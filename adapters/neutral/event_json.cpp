// JSON codec for neutral events. nlohmann exceptions stop here and become error values.
#include "event_json.hpp"

#include <nlohmann/json.hpp>

#include "adapters/neutral/json_fields.hpp"
#include "core/customer_key.hpp"
#include "core/money.hpp"

namespace rewardd {
namespace {

using nlohmann::json;

constexpr std::size_t k_max_lines = 1000;
constexpr std::size_t k_max_text = 256;
constexpr std::size_t k_max_codes = 50;        // discount codes on one order
constexpr std::size_t k_max_code_bytes = 100;
constexpr std::int64_t k_max_amount_minor = 1'000'000'000'000'000;  // 10^18 minor units

Error field_error(ErrorCode code, const std::string& field, const std::string& why) {
    return make_error(code, field + ": " + why, field);
}

Result<std::string> read_text(const json& obj, const char* key, const std::string& path, bool required) {
    return read_json_text(obj, key, path, required, k_max_text);
}

Result<std::int64_t> read_amount(const json& obj, const char* key, const std::string& path,
                                 bool required, bool allow_negative = false) {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        if (required) return field_error(ErrorCode::missing_field, path, "is required");
        return std::int64_t{0};
    }
    if (!it->is_number_integer()) {
        return field_error(ErrorCode::invalid_field, path, "must be an integer in minor units");
    }
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(k_max_amount_minor)) {
        return field_error(ErrorCode::amount_out_of_range, path, "is too large");
    }
    const auto value = it->get<std::int64_t>();
    if (value < 0 && !allow_negative) return field_error(ErrorCode::invalid_field, path, "must not be negative");
    if (value > k_max_amount_minor || value < -k_max_amount_minor) {
        return field_error(ErrorCode::amount_out_of_range, path, "is too large");
    }
    return value;
}

#define TRY_ASSIGN(target, expr)                  \
    do {                                          \
        auto _r = (expr);                         \
        if (!_r) return _r.error();               \
        target = std::move(*_r);                  \
    } while (0)

Result<CustomerRef> read_customer(const json& obj, const std::string& path) {
    if (!obj.is_object()) return field_error(ErrorCode::invalid_field, path, "must be an object");
    CustomerRef c;
    TRY_ASSIGN(c.id, read_text(obj, "id", path + ".id", false));
    std::string email;
    TRY_ASSIGN(email, read_text(obj, "email", path + ".email", false));
    c.email = normalise_email(email);
    if (!c.email.empty() && c.email.find('@') == std::string::npos) {
        return field_error(ErrorCode::invalid_field, path + ".email", "is not an e-mail address");
    }
    return c;
}

Result<OrderLine> read_line(const json& obj, const std::string& path) {
    if (!obj.is_object()) return field_error(ErrorCode::invalid_field, path, "must be an object");
    OrderLine line;
    TRY_ASSIGN(line.id, read_text(obj, "id", path + ".id", true));
    TRY_ASSIGN(line.product_id, read_text(obj, "product_id", path + ".product_id", false));
    TRY_ASSIGN(line.quantity, read_amount(obj, "quantity", path + ".quantity", true));
    TRY_ASSIGN(line.total_minor, read_amount(obj, "total", path + ".total", true));
    if (const auto it = obj.find("categories"); it != obj.end() && !it->is_null()) {
        if (!it->is_array()) return field_error(ErrorCode::invalid_field, path + ".categories", "must be an array");
        for (std::size_t i = 0; i < it->size() && i < 64; ++i) {
            const auto& c = (*it)[i];
            if (!c.is_string() && !c.is_number_integer()) {
                return field_error(ErrorCode::invalid_field, path + ".categories[" + std::to_string(i) + "]",
                                   "must be a string");
            }
            line.categories.push_back(c.is_string() ? c.get<std::string>() : c.dump());
        }
    }
    return line;
}

// `order.<key>`: an optional array of at most `count_max` non-empty strings of at most `bytes_max`
// bytes each (`what` names an element in the error).
Result<std::vector<std::string>> read_strings(const json& obj, const char* key, std::size_t count_max,
                                              std::size_t bytes_max, const std::string& what) {
    std::vector<std::string> out;
    const std::string path = std::string("order.") + key;
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return out;
    if (!it->is_array() || it->size() > count_max) {
        return field_error(ErrorCode::invalid_field, path,
                           "must be an array of at most " + std::to_string(count_max) + " " + what);
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& c = (*it)[i];
        if (!c.is_string() || c.get<std::string>().empty() || c.get<std::string>().size() > bytes_max) {
            return field_error(ErrorCode::invalid_field, path + "[" + std::to_string(i) + "]",
                               "must be a non-empty string of at most " + std::to_string(bytes_max) + " bytes");
        }
        out.push_back(c.get<std::string>());
    }
    return out;
}

// "presentment": the buyer's currency and the order's total in it, when not the shop's.
Result<std::optional<Order::Presentment>> read_presentment(const json& obj) {
    const auto it = obj.find("presentment");
    if (it == obj.end() || it->is_null()) return std::optional<Order::Presentment>{};
    if (!it->is_object()) return field_error(ErrorCode::invalid_field, "order.presentment", "must be an object");
    Order::Presentment p;
    TRY_ASSIGN(p.currency, read_text(*it, "currency", "order.presentment.currency", true));
    if (!currency_exponent(p.currency)) {
        return field_error(ErrorCode::unknown_currency, "order.presentment.currency", "unknown ISO 4217 currency");
    }
    TRY_ASSIGN(p.total_minor, read_amount(*it, "total", "order.presentment.total", true));
    return std::optional<Order::Presentment>{std::move(p)};
}

Result<Order> read_order(const json& obj) {
    if (!obj.is_object()) return field_error(ErrorCode::invalid_field, "order", "must be an object");
    Order order;
    TRY_ASSIGN(order.id, read_text(obj, "id", "order.id", true));
    TRY_ASSIGN(order.currency, read_text(obj, "currency", "order.currency", true));
    if (!currency_exponent(order.currency)) {
        return field_error(ErrorCode::unknown_currency, "order.currency", "unknown ISO 4217 currency");
    }
    if (const auto it = obj.find("customer"); it != obj.end() && !it->is_null()) {
        TRY_ASSIGN(order.customer, read_customer(*it, "order.customer"));
    }
    const auto lines = obj.find("lines");
    if (lines == obj.end() || !lines->is_array()) {
        return field_error(ErrorCode::missing_field, "order.lines", "must be an array");
    }
    if (lines->size() > k_max_lines) return field_error(ErrorCode::invalid_field, "order.lines", "too many lines");
    for (std::size_t i = 0; i < lines->size(); ++i) {
        OrderLine line;
        TRY_ASSIGN(line, read_line((*lines)[i], "order.lines[" + std::to_string(i) + "]"));
        order.lines.push_back(std::move(line));
    }
    TRY_ASSIGN(order.discount_minor, read_amount(obj, "discount", "order.discount", false));
    TRY_ASSIGN(order.tax_minor, read_amount(obj, "tax", "order.tax", false));
    TRY_ASSIGN(order.shipping_minor, read_amount(obj, "shipping", "order.shipping", false));
    TRY_ASSIGN(order.total_minor, read_amount(obj, "total", "order.total", true));
    std::string referral;
    TRY_ASSIGN(referral, read_text(obj, "referral_code", "order.referral_code", false));
    if (!referral.empty()) order.referral_code = referral;
    // The discount codes the order used; lines that earn nothing by nature (gift cards bought).
    TRY_ASSIGN(order.codes, read_strings(obj, "codes", k_max_codes, k_max_code_bytes, "codes"));
    TRY_ASSIGN(order.presentment, read_presentment(obj));
    TRY_ASSIGN(order.non_earning_lines, read_strings(obj, "non_earning_lines", k_max_lines, k_max_text, "line ids"));
    return order;
}

Result<Refund> read_refund(const json& obj) {
    if (!obj.is_object()) return field_error(ErrorCode::missing_field, "refund", "must be an object");
    Refund refund;
    TRY_ASSIGN(refund.id, read_text(obj, "id", "refund.id", true));
    TRY_ASSIGN(refund.amount_minor, read_amount(obj, "amount", "refund.amount", true));
    TRY_ASSIGN(refund.currency, read_text(obj, "currency", "refund.currency", false));
    if (!refund.currency.empty() && !currency_exponent(refund.currency)) {
        return field_error(ErrorCode::unknown_currency, "refund.currency", "unknown ISO 4217 currency");
    }
    TRY_ASSIGN(refund.shipping_minor, read_amount(obj, "shipping", "refund.shipping", false));
    TRY_ASSIGN(refund.fees_minor, read_amount(obj, "fees", "refund.fees", false));
    if (const auto it = obj.find("lines"); it != obj.end() && !it->is_null()) {
        if (!it->is_array() || it->size() > k_max_lines) {
            return field_error(ErrorCode::invalid_field, "refund.lines", "must be an array of lines");
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            const std::string path = "refund.lines[" + std::to_string(i) + "]";
            const auto& l = (*it)[i];
            if (!l.is_object()) return field_error(ErrorCode::invalid_field, path, "must be an object");
            RefundLine line;
            TRY_ASSIGN(line.line_id, read_text(l, "line_id", path + ".line_id", true));
            TRY_ASSIGN(line.quantity, read_amount(l, "quantity", path + ".quantity", false));
            TRY_ASSIGN(line.total_minor, read_amount(l, "total", path + ".total", true));
            refund.lines.push_back(std::move(line));
        }
    }
    return refund;
}

Result<Event> read_event(const json& doc, const std::string& shop_id) {
    if (!doc.is_object()) return field_error(ErrorCode::malformed_json, "", "the body must be a JSON object");
    Event event;
    event.shop_id = shop_id;
    TRY_ASSIGN(event.id, read_text(doc, "id", "id", true));
    std::string type;
    TRY_ASSIGN(type, read_text(doc, "type", "type", true));
    const auto parsed_type = parse_event_type(type);
    if (!parsed_type) return field_error(ErrorCode::invalid_field, "type", "unknown event type \"" + type + "\"");
    event.type = *parsed_type;
    std::string when;
    TRY_ASSIGN(when, read_text(doc, "occurred_at", "occurred_at", true));
    auto at = parse_timestamp(when);
    if (!at) return field_error(ErrorCode::invalid_field, "occurred_at", "must be an RFC 3339 timestamp");
    event.occurred_at = *at;

    if (is_order_event(event.type)) {
        const auto it = doc.find("order");
        if (it == doc.end() || it->is_null()) return field_error(ErrorCode::missing_field, "order", "is required");
        TRY_ASSIGN(event.order, read_order(*it));
        if (event.type == EventType::order_refunded) {
            const auto r = doc.find("refund");
            if (r == doc.end() || r->is_null()) return field_error(ErrorCode::missing_field, "refund", "is required");
            TRY_ASSIGN(event.refund, read_refund(*r));
        }
        return event;
    }
    const auto c = doc.find("customer");
    if (c == doc.end() || c->is_null()) return field_error(ErrorCode::missing_field, "customer", "is required");
    TRY_ASSIGN(event.customer, read_customer(*c, "customer"));
    std::string referral;
    TRY_ASSIGN(referral, read_text(doc, "referral_code", "referral_code", false));
    if (!referral.empty()) event.referral_code = referral;
    if (event.type == EventType::points_adjusted) {
        const auto a = doc.find("adjustment");
        if (a == doc.end() || !a->is_object()) return field_error(ErrorCode::missing_field, "adjustment", "is required");
        Adjustment adj;
        TRY_ASSIGN(adj.points, read_amount(*a, "points", "adjustment.points", true, true));
        TRY_ASSIGN(adj.reason, read_text(*a, "reason", "adjustment.reason", true));
        event.adjustment = adj;
    }
    return event;
}

json customer_json(const CustomerRef& c) {
    return json{{"id", c.id.empty() ? json(nullptr) : json(c.id)}, {"email", c.email}};
}

}  // namespace

Result<Event> parse_event_json(std::string_view body, const std::string& shop_id) {
    // Depth is bounded by the parser callback so a deeply nested body cannot exhaust the stack.
    int depth = 0;
    bool too_deep = false;
    json::parser_callback_t limit = [&](int d, json::parse_event_t ev, json&) {
        if (ev == json::parse_event_t::object_start || ev == json::parse_event_t::array_start) {
            depth = d;
            if (d > 32) too_deep = true;
        }
        return !too_deep;
    };
    json doc;
    try {
        doc = json::parse(body.begin(), body.end(), limit);
    } catch (const json::exception& e) {
        return make_error(ErrorCode::malformed_json, std::string("body is not valid JSON: ") + e.what());
    }
    if (too_deep) return make_error(ErrorCode::malformed_json, "body nests deeper than 32 levels");
    try {
        return read_event(doc, shop_id);
    } catch (const json::exception& e) {
        return make_error(ErrorCode::malformed_json, std::string("unexpected JSON shape: ") + e.what());
    }
}

std::string event_to_json(const Event& event) {
    json doc{{"id", event.id}, {"type", event_type_id(event.type)},
             {"occurred_at", format_timestamp(event.occurred_at)}};
    if (event.order) {
        const Order& o = *event.order;
        json lines = json::array();
        for (const auto& l : o.lines) {
            lines.push_back({{"id", l.id}, {"product_id", l.product_id}, {"categories", l.categories},
                             {"quantity", l.quantity}, {"total", l.total_minor}});
        }
        doc["order"] = {{"id", o.id}, {"currency", o.currency}, {"customer", customer_json(o.customer)},
                        {"lines", lines}, {"discount", o.discount_minor}, {"tax", o.tax_minor},
                        {"shipping", o.shipping_minor}, {"total", o.total_minor},
                        {"referral_code", o.referral_code ? json(*o.referral_code) : json(nullptr)}};
        // Absent when none or unset: older bodies stay as they were.
        if (!o.codes.empty()) doc["order"]["codes"] = o.codes;
        if (o.presentment) {
            doc["order"]["presentment"] = {{"currency", o.presentment->currency},
                                           {"total", o.presentment->total_minor}};
        }
        if (!o.non_earning_lines.empty()) doc["order"]["non_earning_lines"] = o.non_earning_lines;
    }
    if (event.refund) {
        json lines = json::array();
        for (const auto& l : event.refund->lines) {
            lines.push_back({{"line_id", l.line_id}, {"quantity", l.quantity}, {"total", l.total_minor}});
        }
        doc["refund"] = {{"id", event.refund->id}, {"amount", event.refund->amount_minor}, {"lines", lines}};
        if (!event.refund->currency.empty()) doc["refund"]["currency"] = event.refund->currency;
        if (event.refund->shipping_minor != 0) doc["refund"]["shipping"] = event.refund->shipping_minor;
        if (event.refund->fees_minor != 0) doc["refund"]["fees"] = event.refund->fees_minor;
    }
    if (event.customer) doc["customer"] = customer_json(*event.customer);
    if (event.referral_code) doc["referral_code"] = *event.referral_code;
    if (event.adjustment) {
        doc["adjustment"] = {{"points", event.adjustment->points}, {"reason", event.adjustment->reason}};
    }
    return doc.dump();
}

}  // namespace rewardd
