// POST /api/v1/shops (register or replace a shop, as `rewardd shop add` does) and
// DELETE /api/v1/shops/{id}. Admin tokens only. The intake's shop cache is refreshed at once.
#pragma once

#include <httplib.h>

#include "http/api_context.hpp"

namespace rewardd {

void handle_api_shop_save(ApiContext& api, const httplib::Request& req, httplib::Response& res);
void handle_api_shop_remove(ApiContext& api, const httplib::Request& req, httplib::Response& res);

}  // namespace rewardd
