// Request helpers; nlohmann exceptions stop here.
#include "api_request.hpp"

#include <charconv>

#include "adapters/neutral/json_fields.hpp"
#include "core/customer_key.hpp"
#include "http/json_response.hpp"

namespace rewardd {
namespace {

Error field_error(ErrorCode code, const std::string& field, const std::string& why) {
    return make_error(code, field + ": " + why, field);
}

}  // namespace

int api_status_for(ErrorCode code) {
    switch (code) {
        case ErrorCode::unauthorized: return 401;
        case ErrorCode::forbidden: return 403;
        case ErrorCode::not_found:
        case ErrorCode::unknown_shop: return 404;
        case ErrorCode::insufficient_points:
        case ErrorCode::below_minimum_redemption:
        case ErrorCode::exceeds_cart_share:
        case ErrorCode::exists_with_different_content: return 409;
        case ErrorCode::body_too_large: return 413;
        case ErrorCode::rate_limited: return 429;
        case ErrorCode::storage_unavailable:
        case ErrorCode::schema_too_new: return 503;
        default: return 400;
    }
}

void send_api_error(httplib::Response& res, const Error& error) {
    send_error(res, api_status_for(error.code), error);
}

Result<nlohmann::json> parse_json_object(const std::string& body) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return make_error(ErrorCode::malformed_json, "the body must be a JSON object");
    }
    return doc;
}

Result<std::string> json_text(const nlohmann::json& object, const char* key, const std::string& path,
                              bool required, std::size_t chars_max) {
    return read_json_text(object, key, path, required, chars_max);
}

Result<std::int64_t> json_integer(const nlohmann::json& object, const char* key, const std::string& path,
                                  bool required, std::int64_t min, std::int64_t max, std::int64_t fallback) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        if (required) return field_error(ErrorCode::missing_field, path, "is required");
        return fallback;
    }
    if (!it->is_number_integer()) return field_error(ErrorCode::invalid_field, path, "must be an integer");
    const bool too_big = it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max);
    const auto value = it->get<std::int64_t>();
    if (too_big || value < min || value > max) {
        return field_error(ErrorCode::invalid_field, path,
                           "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    return value;
}

Result<std::int64_t> query_integer(const httplib::Request& req, const char* key, std::int64_t min,
                                   std::int64_t max, std::int64_t fallback) {
    if (!req.has_param(key)) return fallback;
    const std::string text = req.get_param_value(key);
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
        return field_error(ErrorCode::invalid_field, key,
                           "must be an integer between " + std::to_string(min) + " and " + std::to_string(max));
    }
    return value;
}

std::optional<std::string> query_text(const httplib::Request& req, const char* key) {
    if (!req.has_param(key)) return std::nullopt;
    std::string value = req.get_param_value(key);
    if (value.empty()) return std::nullopt;
    return value;
}

Result<std::string> path_email(const httplib::Request& req, std::size_t index) {
    const std::string email = normalise_email(req.matches[index].str());
    if (email.size() > 254 || email.find('@') == std::string::npos) {
        return field_error(ErrorCode::invalid_field, "email", "is not an e-mail address");
    }
    return email;
}

}  // namespace rewardd
