// Field readers.
#include "json_fields.hpp"

namespace rewardd {

Result<std::string> read_json_text(const nlohmann::json& object, const char* key, const std::string& path,
                                   bool required, std::size_t chars_max) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        if (required) return make_error(ErrorCode::missing_field, path + ": is required", path);
        return std::string{};
    }
    std::string value;
    if (it->is_string()) {
        value = it->get<std::string>();
    } else if (it->is_number_integer()) {
        value = it->dump();
    } else {
        return make_error(ErrorCode::invalid_field, path + ": must be a string", path);
    }
    if (value.size() > chars_max) return make_error(ErrorCode::invalid_field, path + ": is too long", path);
    if (required && value.empty()) return make_error(ErrorCode::invalid_field, path + ": must not be empty", path);
    return value;
}

}  // namespace rewardd
