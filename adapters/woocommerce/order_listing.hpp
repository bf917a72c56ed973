// Reading back a WooCommerce shop's recently changed orders (GET /wp-json/wc/v3/orders, INTEGRATION.md
// W3.2): the query of one page and the page's orders. WooCommerce never retries a failed webhook
// delivery and disables a webhook after seven failures in a row (W1.4), so orders changed while
// rewardd was down or the webhook off are only found by asking. Pure: the call itself is the
// daemon's (http/woocommerce_order_sweeper.*).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/timestamp.hpp"

namespace rewardd::woocommerce {

// An order with many lines is tens of kilobytes; 50 keep a page's answer well under the outgoing
// transport's answer limit (WordPress allows up to 100).
inline constexpr int k_order_page_size = 50;

// Page `page` (1-based) of the orders modified after `since` (GMT), most recently modified first.
// Newest first, because pages are numbered: an order changed during the sweep moves to the front
// and pushes the others back, so one may be read twice (a duplicate), none is passed over. Every
// status but the trash (`status=any`).
std::vector<std::pair<std::string, std::string>> orders_modified_since_query(Timestamp since, int page,
                                                                             int per_page = k_order_page_size);

// The orders of a listing's answer (a JSON array of orders in the webhook's shape, W2).
Result<std::vector<nlohmann::json>> read_order_page(std::string_view body);

// The order's `date_modified_gmt`; nullopt when absent or unreadable.
std::optional<Timestamp> order_modified_at(const nlohmann::json& order);

}  // namespace rewardd::woocommerce
