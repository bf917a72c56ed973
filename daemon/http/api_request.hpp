// Reading /api/v1 requests and answering their errors: JSON bodies with errors that name the
// field, query and path parameters, and the one table from error code to HTTP status.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"

namespace rewardd {

// The HTTP status docs/API.md gives each error id.
int api_status_for(ErrorCode code);
void send_api_error(httplib::Response& res, const Error& error);

// The body as a JSON object, or malformed_json.
Result<nlohmann::json> parse_json_object(const std::string& body);

// A string field (integers are taken as their digits, as platforms send ids either way). Absent
// or null: missing_field when required, else "". Longer than `chars_max`: invalid_field.
Result<std::string> json_text(const nlohmann::json& object, const char* key, const std::string& path,
                              bool required, std::size_t chars_max = 256);
// An integer field in [min, max]. Absent or null: missing_field when required, else `fallback`.
Result<std::int64_t> json_integer(const nlohmann::json& object, const char* key, const std::string& path,
                                  bool required, std::int64_t min, std::int64_t max, std::int64_t fallback = 0);

// A query parameter as an integer in [min, max]; absent: `fallback`.
Result<std::int64_t> query_integer(const httplib::Request& req, const char* key, std::int64_t min,
                                   std::int64_t max, std::int64_t fallback);
// A query parameter's value, or nullopt when absent or empty.
std::optional<std::string> query_text(const httplib::Request& req, const char* key);

// The customer e-mail from the path (already URL-decoded by cpp-httplib), normalised.
Result<std::string> path_email(const httplib::Request& req, std::size_t index);

}  // namespace rewardd
