// The no-storage ceiling: rewardd's HTTP stack and settings on /webhooks/shopify, checking the
// HMAC and mapping the payload exactly as rewardd does, then answering without storing anything.
#pragma once

#include <string>

namespace rewardd::bench {

// Serves until killed.
void serve_ceiling(int port, int threads, const std::string& shop_domain, const std::string& secret);

}  // namespace rewardd::bench
