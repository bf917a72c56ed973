// Field-by-field reading of the order JSON.
#include "order_snapshot.hpp"

#include "core/customer_key.hpp"
#include "core/money.hpp"

namespace rewardd::woocommerce {
namespace {

#define TRY_ASSIGN(target, expr)    \
    do {                            \
        auto _r = (expr);           \
        if (!_r) return _r.error(); \
        target = std::move(*_r);    \
    } while (0)

Result<OrderLine> read_line(const json& item, int exponent, const std::string& path) {
    if (!item.is_object()) return field_error(ErrorCode::invalid_field, path, "must be an object");
    OrderLine line;
    TRY_ASSIGN(line.id, read_id(item, "id", path + ".id"));
    TRY_ASSIGN(line.product_id, read_id(item, "product_id", path + ".product_id"));
    const auto qty = item.find("quantity");
    if (qty == item.end() || !qty->is_number_integer() || qty->get<std::int64_t>() < 0) {
        return field_error(ErrorCode::invalid_field, path + ".quantity", "must be a non-negative integer");
    }
    line.quantity = qty->get<std::int64_t>();
    TRY_ASSIGN(line.total_minor, read_money(item, "total", exponent, path + ".total", true));
    // Categories are not in the order JSON; a category list given by an extension is kept.
    for (const auto& c : array_or_empty(item, "categories")) {
        const std::string slug = c.is_object() ? read_string(c, "slug") : (c.is_string() ? c.get<std::string>() : "");
        if (!slug.empty()) line.categories.push_back(slug);
    }
    return line;
}

std::optional<std::string> read_referral_code(const json& doc) {
    for (const auto& meta : array_or_empty(doc, "meta_data")) {
        const std::string key = meta.is_object() ? read_string(meta, "key") : "";
        if (key != k_referral_meta_key && key != std::string("_") + k_referral_meta_key) continue;
        const std::string value = read_string(meta, "value");
        if (fits_referral_code(value)) return value;
    }
    return std::nullopt;
}

// The coupon codes the order used (coupon_lines[].code; WooCommerce keeps them lower-cased).
std::vector<std::string> read_coupon_codes(const json& doc) {
    std::vector<std::string> codes;
    for (const auto& line : array_or_empty(doc, "coupon_lines")) {
        const std::string code = line.is_object() ? read_string(line, "code") : "";
        if (!code.empty() && code.size() <= 100 && codes.size() < 50) codes.push_back(code);
    }
    return codes;
}

CustomerRef read_customer(const json& doc) {
    CustomerRef ref;
    if (const auto id = doc.find("customer_id"); id != doc.end() && id->is_number_integer() && id->get<std::int64_t>() > 0) {
        ref.id = id->dump();
    }
    if (const auto billing = doc.find("billing"); billing != doc.end() && billing->is_object()) {
        ref.email = normalise_email(read_string(*billing, "email"));
    }
    if (ref.email.find('@') == std::string::npos) ref.email.clear();
    return ref;
}

// What the order's negative fees took off: a discount entered as a fee (`WC()->cart->add_fee()`
// with a negative amount, as payment-method and cart discount extensions do), which, unlike a
// coupon, is not inside the line totals. Positive fees are charges; they earn nothing either way.
Result<std::int64_t> read_fee_discount(const json& doc, int exponent) {
    return sum_line_amounts(doc, "fee_lines", {"total"}, exponent, [](std::int64_t v) { return v < 0 ? -v : 0; });
}

Result<std::vector<RefundSummary>> read_refunds(const json& doc, int exponent) {
    std::vector<RefundSummary> refunds;
    std::int64_t refunded = 0;  // their sum must stay an amount too (order_events adds them up)
    const json& list = array_or_empty(doc, "refunds");
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = "refunds[" + std::to_string(i) + "]";
        if (!list[i].is_object()) return field_error(ErrorCode::invalid_field, path, "must be an object");
        RefundSummary r;
        TRY_ASSIGN(r.id, read_id(list[i], "id", path + ".id"));
        std::int64_t total = 0;
        TRY_ASSIGN(total, read_money(list[i], "total", exponent, path + ".total", true, true));
        r.amount_minor = total < 0 ? -total : total;
        const auto sum = add_amounts(refunded, r.amount_minor);
        if (!sum) return field_error(ErrorCode::amount_out_of_range, path + ".total", "makes the sum too large");
        refunded = *sum;
        refunds.push_back(std::move(r));
    }
    return refunds;
}

}  // namespace

const json& array_or_empty(const json& obj, const char* key) {
    static const json empty = json::array();
    const auto it = obj.find(key);
    return it != obj.end() && it->is_array() ? *it : empty;
}

Result<std::int64_t> read_money(const json& obj, const char* key, int exponent, const std::string& path,
                                bool required, bool allow_negative) {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        if (required) return field_error(ErrorCode::missing_field, path, "is required");
        return std::int64_t{0};
    }
    if (!it->is_string()) return field_error(ErrorCode::invalid_field, path, "must be a decimal string");
    auto minor = parse_decimal_minor_rounded(it->get<std::string>(), exponent);
    if (!minor) return field_error(minor.error().code, path, minor.error().message);
    if (*minor < 0 && !allow_negative) return field_error(ErrorCode::invalid_field, path, "must not be negative");
    return *minor;
}

Result<std::int64_t> sum_line_amounts(const json& doc, const char* lines_key, std::initializer_list<const char*> keys,
                                      int exponent, std::int64_t (*take)(std::int64_t)) {
    std::int64_t sum = 0;
    const json& lines = array_or_empty(doc, lines_key);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string path = std::string(lines_key) + "[" + std::to_string(i) + "]";
        if (!lines[i].is_object()) return field_error(ErrorCode::invalid_field, path, "must be an object");
        for (const char* key : keys) {
            auto amount = read_money(lines[i], key, exponent, path + "." + key, false, true);
            if (!amount) return amount.error();
            const auto next = add_amounts(sum, take(*amount));
            if (!next) return field_error(ErrorCode::amount_out_of_range, path + "." + key, "makes the sum too large");
            sum = *next;
        }
    }
    return sum;
}

Error field_error(ErrorCode code, const std::string& field, const std::string& why) {
    return make_error(code, field + ": " + why, field);
}

std::string read_string(const json& obj, const char* key) {
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) return {};
    return it->get<std::string>();
}

Result<std::string> read_id(const json& obj, const char* key, const std::string& path) {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return field_error(ErrorCode::missing_field, path, "is required");
    if (it->is_number_unsigned() || (it->is_number_integer() && it->get<std::int64_t>() >= 0)) return it->dump();
    return field_error(ErrorCode::invalid_field, path, "must be a non-negative integer id");
}

Result<std::optional<Timestamp>> read_gmt(const json& obj, const char* key) {
    const std::string text = read_string(obj, key);
    if (text.empty()) return std::optional<Timestamp>{};
    auto t = parse_timestamp(text);
    if (!t) return field_error(ErrorCode::invalid_field, key, "must be a date-time");
    return std::optional<Timestamp>{*t};
}

std::string format_gmt(Timestamp t) {
    std::string text = format_timestamp(t);
    if (!text.empty() && text.back() == 'Z') text.pop_back();
    return text;
}

Result<OrderSnapshot> read_order(const json& doc) {
    if (!doc.is_object()) return field_error(ErrorCode::invalid_field, "order", "must be an object");
    OrderSnapshot s;
    TRY_ASSIGN(s.order.id, read_id(doc, "id", "id"));
    s.status = read_string(doc, "status");
    if (s.status.rfind("wc-", 0) == 0) s.status.erase(0, 3);
    if (s.status.empty()) return field_error(ErrorCode::missing_field, "status", "is required");
    s.order.currency = read_string(doc, "currency");
    const auto exponent = currency_exponent(s.order.currency);
    if (!exponent) return field_error(ErrorCode::unknown_currency, "currency", "unknown ISO 4217 currency");
    s.order.customer = read_customer(doc);
    const json& items = array_or_empty(doc, "line_items");
    for (std::size_t i = 0; i < items.size(); ++i) {
        OrderLine line;
        TRY_ASSIGN(line, read_line(items[i], *exponent, "line_items[" + std::to_string(i) + "]"));
        s.order.lines.push_back(std::move(line));
    }
    // Coupon amounts are already inside the line totals (INTEGRATION.md N1b); negative fees are not.
    TRY_ASSIGN(s.order.discount_minor, read_fee_discount(doc, *exponent));
    TRY_ASSIGN(s.order.tax_minor, read_money(doc, "total_tax", *exponent, "total_tax"));
    TRY_ASSIGN(s.order.shipping_minor, read_money(doc, "shipping_total", *exponent, "shipping_total"));
    TRY_ASSIGN(s.order.total_minor, read_money(doc, "total", *exponent, "total", true));
    s.order.referral_code = read_referral_code(doc);
    s.order.codes = read_coupon_codes(doc);

    std::optional<Timestamp> created, modified;
    TRY_ASSIGN(created, read_gmt(doc, "date_created_gmt"));
    if (!created) return field_error(ErrorCode::missing_field, "date_created_gmt", "is required");
    s.created_at = *created;
    TRY_ASSIGN(modified, read_gmt(doc, "date_modified_gmt"));
    s.modified_at = modified.value_or(s.created_at);
    TRY_ASSIGN(s.paid_at, read_gmt(doc, "date_paid_gmt"));
    TRY_ASSIGN(s.completed_at, read_gmt(doc, "date_completed_gmt"));
    TRY_ASSIGN(s.refunds, read_refunds(doc, *exponent));
    return s;
}

}  // namespace rewardd::woocommerce
