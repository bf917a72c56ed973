// rewardd's configuration: one table of keys with types, defaults and bounds. With no file the
// embedded defaults apply. A bad file is reported with file, key (and line) and the problem.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "core/rules.hpp"
#include "store/database.hpp"

namespace rewardd {

struct Config {
    std::string source = "(embedded defaults)";
    std::string listen_host = "127.0.0.1";
    int listen_port = 8080;
    std::string data_dir = "./var";
    Durability durability = Durability::full;
    std::string log_level = "info";
    std::string access_log_level = "info";
    int http_threads = 8;
    std::int64_t webhook_body_bytes_max = 1048576;
    std::int64_t intake_batch_events_max = 1024;
    std::int64_t apply_batch_events_max = 512;
    std::int64_t release_check_interval_ms = 1000;
    std::int64_t database_busy_timeout_ms = 5000;
    std::int64_t api_requests_per_minute_max = 600;  // per /api/v1 token
    std::int64_t outbox_retry_base_ms = 1000;      // first retry delay; doubles per attempt
    std::int64_t outbox_retry_max_ms = 300000;     // longest backoff (a longer Retry-After wins)
    std::int64_t outbox_attempts_max = 20;         // then the item is parked
    std::int64_t outbox_poll_interval_ms = 1000;   // how often the outbox looks for due items
    std::int64_t platform_timeout_ms = 10000;      // each platform API call, connect included
    std::int64_t woocommerce_order_sweep_interval_s = 900;  // 0: WooCommerce orders are not swept
    // Shopify and HTTPS (docs/shopify.md, docs/https.md).
    std::string public_url;                  // https address Shopify delivers webhooks to
    std::string shopify_api_version = "2026-07";
    std::int64_t shopify_timeout_ms = 10000;
    std::int64_t shopify_subscription_check_interval_s = 10800;
    std::int64_t shopify_order_sweep_interval_s = 900;  // 0: orders are not swept
    std::int64_t shopify_metafield_quiet_ms = 2000;       // a customer's changes settle this long before one write
    std::int64_t shopify_metafield_max_delay_ms = 60000;  // ... but a write waits no longer than this
    std::string tls_cert;                    // PEM paths; both set: serve HTTPS itself
    std::string tls_key;
    Rules rules;
};

// Reads a TOML file; keys not in the table are errors.
Result<Config> load_config(const std::string& path);

// "127.0.0.1:8080" -> host and port; false when malformed.
bool parse_listen(const std::string& text, std::string& host, int& port);

// The commented default config `rewardd init` writes.
std::string default_config_text();

}  // namespace rewardd
