// Parses Shopify JSON keeping every non-integer number as its literal text (a JSON string), so
// money such as refund_line_items[].subtotal (195.66) never passes through a double.
// Depends on nlohmann-json and core's Result only.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace rewardd::shopify {

// The members a mapper reads: those of the top-level object, and those of each object in one of
// its array members (an order's line_items). A webhook body carries many more (addresses, current
// totals, admin ids, properties); building them into the document only to throw them away was
// about a third of parsing an order.
struct KeptMembers {
    std::vector<std::string_view> top;
    std::string_view array;
    std::vector<std::string_view> element;
};

// Objects nested deeper than `depth_max` are refused (malformed_json), as are invalid bodies.
// With `keep`, other members are left out of the document; the whole body is still parsed, so
// what is refused (invalid JSON, too deep) does not change.
Result<nlohmann::json> parse_literal_json(std::string_view body, int depth_max = 64,
                                          const KeptMembers* keep = nullptr);

}  // namespace rewardd::shopify
