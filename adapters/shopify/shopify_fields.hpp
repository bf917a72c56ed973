// Field readers shared by the Shopify mappers: ids that come as numbers or strings, timestamps,
// and money read exactly from shop_money (or the plain decimal) into minor units.
// Errors name the field at fault. Depends on core and nlohmann-json only.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "core/timestamp.hpp"

namespace rewardd::shopify {

using nlohmann::json;

Error field_error(ErrorCode code, const std::string& field, const std::string& why);

// An id as text: 64-bit integers are printed exactly, strings taken as they are. Empty if absent.
Result<std::string> read_id(const json& obj, const char* key, const std::string& path, bool required);

// A string field, empty when absent or null.
std::string read_string(const json& obj, const char* key);

Result<Timestamp> read_time(const json& obj, const char* key, const std::string& path);

// Money in the shop's currency: `<set_key>.shop_money.amount` when present (its currency_code must
// be `currency`), else the plain `<key>` (a decimal string or a JSON number's literal text).
// Absent both: 0 unless required.
Result<std::int64_t> read_shop_money(const json& obj, const char* key, const char* set_key,
                                     const std::string& currency, const std::string& path,
                                     bool required = false);

// Parses one amount value (string, literal number kept as string, or integer) exactly.
Result<std::int64_t> parse_amount(const json& value, const std::string& currency, const std::string& path);

}  // namespace rewardd::shopify
