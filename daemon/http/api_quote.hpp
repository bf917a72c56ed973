// POST /api/v1/quote: the points (and cashback) a cart would earn if paid now under the rules in
// force, at the customer's current tier when an e-mail is given. Computed by the engine's
// earning plan; nothing is stored. Storefront scope.
#pragma once

#include <httplib.h>

#include "http/api_context.hpp"

namespace rewardd {

void handle_api_quote(ApiContext& api, const httplib::Request& req, httplib::Response& res);

}  // namespace rewardd
