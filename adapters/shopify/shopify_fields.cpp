// Exact field reading: amounts go through core's parse_decimal_minor, never a double.
#include "shopify_fields.hpp"

#include "core/money.hpp"

namespace rewardd::shopify {

Error field_error(ErrorCode code, const std::string& field, const std::string& why) {
    return make_error(code, field + ": " + why, field);
}

Result<std::string> read_id(const json& obj, const char* key, const std::string& path, bool required) {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        if (required) return field_error(ErrorCode::missing_field, path, "is required");
        return std::string{};
    }
    if (it->is_number_integer()) return it->dump();
    if (it->is_string() && !it->get<std::string>().empty() && it->get<std::string>().size() <= 128) {
        return it->get<std::string>();
    }
    return field_error(ErrorCode::invalid_field, path, "must be an integer id");
}

std::string read_string(const json& obj, const char* key) {
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) return {};
    return it->get<std::string>();
}

Result<Timestamp> read_time(const json& obj, const char* key, const std::string& path) {
    const std::string text = read_string(obj, key);
    if (text.empty()) return field_error(ErrorCode::missing_field, path, "is required");
    auto t = parse_timestamp(text);
    if (!t) return field_error(ErrorCode::invalid_field, path, "must be an RFC 3339 timestamp");
    return *t;
}

Result<std::int64_t> parse_amount(const json& value, const std::string& currency, const std::string& path) {
    const auto exponent = currency_exponent(currency);
    if (!exponent) return field_error(ErrorCode::unknown_currency, path, "unknown currency \"" + currency + "\"");
    if (value.is_number_integer()) {
        if (value.is_number_unsigned() && value.get<std::uint64_t>() > 1'000'000'000'000ULL) {
            return field_error(ErrorCode::amount_out_of_range, path, "is too large");
        }
        const auto units = value.get<std::int64_t>();
        if (units > 1'000'000'000'000LL || units < -1'000'000'000'000LL) {
            return field_error(ErrorCode::amount_out_of_range, path, "is too large");
        }
        return units * pow10(*exponent);
    }
    if (!value.is_string()) return field_error(ErrorCode::invalid_field, path, "must be a decimal amount");
    auto minor = parse_decimal_minor(value.get<std::string>(), *exponent);
    if (!minor) return field_error(minor.error().code, path, minor.error().message);
    return *minor;
}

Result<std::int64_t> read_shop_money(const json& obj, const char* key, const char* set_key,
                                     const std::string& currency, const std::string& path, bool required) {
    if (set_key != nullptr) {
        const auto set = obj.find(set_key);
        if (set != obj.end() && set->is_object()) {
            const auto shop = set->find("shop_money");
            if (shop != set->end() && shop->is_object() && shop->contains("amount")) {
                const std::string code = read_string(*shop, "currency_code");
                const std::string where = path + "_set.shop_money";
                if (!code.empty() && code != currency) {
                    return field_error(ErrorCode::invalid_field, where + ".currency_code",
                                       "is " + code + ", not the shop currency " + currency);
                }
                return parse_amount(shop->at("amount"), currency, where + ".amount");
            }
        }
    }
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        if (required) return field_error(ErrorCode::missing_field, path, "is required");
        return std::int64_t{0};
    }
    return parse_amount(*it, currency, path);
}

}  // namespace rewardd::shopify
