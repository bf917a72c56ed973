// JSON answers and errors in the one shape every route uses: {"error": id, "message", "field"}.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace rewardd {

void send_json(httplib::Response& res, int status, const nlohmann::json& body);
void send_error(httplib::Response& res, int status, const Error& error);

}  // namespace rewardd
