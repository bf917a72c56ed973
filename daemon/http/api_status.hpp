// GET /api/v1/status: is rewardd up, which version, how many shops, the outbox backlog, and when
// each shop last sent an event (the WordPress plugin's status box).
#pragma once

#include <httplib.h>

#include "http/api_context.hpp"

namespace rewardd {

void handle_api_status(ApiContext& api, const httplib::Request& req, httplib::Response& res);

}  // namespace rewardd
