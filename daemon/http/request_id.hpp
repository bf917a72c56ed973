// A request id per delivery, carried by every log line written while the delivery is handled
// and returned in the X-Request-Id answer header. The platform's own delivery id is used when
// there is one (X-Shopify-Webhook-Id, X-WC-Webhook-Delivery-ID), then a caller's X-Request-Id,
// else a generated one, so a line in rewardd's log can be matched with the shop's delivery log.
#pragma once

#include <httplib.h>

#include <string>

namespace rewardd {

// The id for this request: a platform delivery id or X-Request-Id when it is a sane token
// (1-128 of [A-Za-z0-9._:-]; anything else could forge log fields), else a generated one.
std::string request_id_for(const httplib::Request& req);

// The id of the request this thread is handling ("" between requests).
const std::string& current_request_id();
void set_current_request_id(std::string id);

// Log lines as `<time> [level] message request=<id>` (the field only while a request is handled).
void install_request_log_format();

}  // namespace rewardd
