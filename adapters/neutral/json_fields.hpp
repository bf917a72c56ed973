// Reading one field of a JSON object with an error that names it ("order.lines[0].id"): shared by
// the neutral event format and the /api/v1 request bodies. nlohmann exceptions never leave here.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "core/result.hpp"

namespace rewardd {

// A string field; ids may also come as integers (platforms send them either way) and are taken as
// their digits. Absent or null: missing_field when required, else "". Over `chars_max`, or empty
// when required: invalid_field.
Result<std::string> read_json_text(const nlohmann::json& object, const char* key, const std::string& path,
                                   bool required, std::size_t chars_max);

}  // namespace rewardd
