// Parses Shopify JSON keeping every non-integer number as its literal text (a JSON string), so
// money such as refund_line_items[].subtotal (195.66) never passes through a double.
// Depends on nlohmann-json and core's Result only.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

#include "core/result.hpp"

namespace rewardd::shopify {

// Objects nested deeper than `depth_max` are refused (malformed_json), as are invalid bodies.
Result<nlohmann::json> parse_literal_json(std::string_view body, int depth_max = 64);

}  // namespace rewardd::shopify
