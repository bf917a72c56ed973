// GET /api/v1/customers/{email}: the `customer show --json` object plus tier, next tier and the
// worth of the available points; GET /api/v1/customers/{email}/referral?shop=ID: the customer's
// referral code for that shop. Storefront scope.
#pragma once

#include <httplib.h>

#include "http/api_context.hpp"

namespace rewardd {

void handle_api_customer(ApiContext& api, const httplib::Request& req, httplib::Response& res);
void handle_api_referral(ApiContext& api, const httplib::Request& req, httplib::Response& res);

}  // namespace rewardd
