// POST /api/v1/redeem: a customer's points become a single-use coupon in their shop. The reserve
// entry and the outbox grant are written in one transaction (rewards/redeem_service.hpp); the
// answer carries the coupon code the outbox will create and whether it is there yet. Idempotent by
// the caller's redemption_id: a repeat answers the first outcome (200) and writes nothing.
// Storefront scope: the storefront (e.g. the WordPress plugin) has already signed the customer in.
#pragma once

#include <httplib.h>

#include "http/api_context.hpp"

namespace rewardd {

void handle_api_redeem(ApiContext& api, const httplib::Request& req, httplib::Response& res);

}  // namespace rewardd
