// TOML parsing with toml++. Each key is read by one small reader with its bounds, so the error
// always names file, key, line and what was expected.
#include "config.hpp"

#include <toml++/toml.h>

#include <functional>
#include <map>
#include <set>

#include "toml_reader.hpp"

namespace rewardd {
namespace {

using KeyHandler = std::function<std::optional<Error>(const TomlReader&, const std::string&, const toml::node&, Config&)>;

KeyHandler int_key(std::int64_t lo, std::int64_t hi, std::function<void(Config&, std::int64_t)> set) {
    return [=](const TomlReader& r, const std::string& key, const toml::node& node, Config& c) -> std::optional<Error> {
        const auto v = node.value<std::int64_t>();
        if (!node.is_integer() || !v) return r.fail(key, node, "must be an integer");
        if (*v < lo || *v > hi) {
            return r.fail(key, node, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
        }
        set(c, *v);
        return std::nullopt;
    };
}

KeyHandler choice_key(std::set<std::string> allowed, std::function<void(Config&, const std::string&)> set) {
    return [=](const TomlReader& r, const std::string& key, const toml::node& node, Config& c) -> std::optional<Error> {
        const auto v = node.value<std::string>();
        if (!v) return r.fail(key, node, "must be a string");
        if (!allowed.count(*v)) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            return r.fail(key, node, "must be one of: " + list);
        }
        set(c, *v);
        return std::nullopt;
    };
}

KeyHandler string_key(bool (*valid)(const std::string&), const char* expected,
                      std::function<void(Config&, const std::string&)> set) {
    return [=](const TomlReader& r, const std::string& key, const toml::node& node, Config& c) -> std::optional<Error> {
        const auto v = node.value<std::string>();
        if (!v || !valid(*v)) return r.fail(key, node, expected);
        set(c, *v);
        return std::nullopt;
    };
}

bool is_public_url(const std::string& v) { return v.empty() || v.rfind("https://", 0) == 0 || v.rfind("http://", 0) == 0; }
bool is_api_version(const std::string& v) {
    return v == "unstable" || (v.size() == 7 && v[4] == '-' && v.find_first_not_of("0123456789-") == std::string::npos);
}
bool is_any_path(const std::string&) { return true; }

const std::map<std::string, KeyHandler>& top_level_keys() {
    static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error", "off"};
    static const std::map<std::string, KeyHandler> keys{
        {"listen", [](const TomlReader& r, const std::string& key, const toml::node& node, Config& c) -> std::optional<Error> {
             const auto v = node.value<std::string>();
             if (!v || !parse_listen(*v, c.listen_host, c.listen_port)) return r.fail(key, node, "must be \"HOST:PORT\"");
             return std::nullopt;
         }},
        {"data_dir", [](const TomlReader& r, const std::string& key, const toml::node& node, Config& c) -> std::optional<Error> {
             const auto v = node.value<std::string>();
             if (!v || v->empty()) return r.fail(key, node, "must be a non-empty path");
             c.data_dir = *v;
             return std::nullopt;
         }},
        {"durability", choice_key({"full", "normal"}, [](Config& c, const std::string& v) {
             c.durability = v == "full" ? Durability::full : Durability::normal;
         })},
        {"log_level", choice_key(levels, [](Config& c, const std::string& v) { c.log_level = v; })},
        {"access_log_level", choice_key(levels, [](Config& c, const std::string& v) { c.access_log_level = v; })},
        {"http_threads", int_key(1, 256, [](Config& c, std::int64_t v) { c.http_threads = static_cast<int>(v); })},
        {"webhook_body_bytes_max", int_key(1024, 64 << 20, [](Config& c, std::int64_t v) { c.webhook_body_bytes_max = v; })},
        {"intake_batch_events_max", int_key(1, 100000, [](Config& c, std::int64_t v) { c.intake_batch_events_max = v; })},
        {"apply_batch_events_max", int_key(1, 100000, [](Config& c, std::int64_t v) { c.apply_batch_events_max = v; })},
        {"release_check_interval_ms", int_key(10, 3600000, [](Config& c, std::int64_t v) { c.release_check_interval_ms = v; })},
        {"database_busy_timeout_ms", int_key(0, 600000, [](Config& c, std::int64_t v) { c.database_busy_timeout_ms = v; })},
        {"api_requests_per_minute_max", int_key(1, 1000000, [](Config& c, std::int64_t v) { c.api_requests_per_minute_max = v; })},
        {"outbox_retry_base_ms", int_key(10, 3600000, [](Config& c, std::int64_t v) { c.outbox_retry_base_ms = v; })},
        {"outbox_retry_max_ms", int_key(10, 86400000, [](Config& c, std::int64_t v) { c.outbox_retry_max_ms = v; })},
        {"outbox_attempts_max", int_key(1, 1000, [](Config& c, std::int64_t v) { c.outbox_attempts_max = v; })},
        {"outbox_poll_interval_ms", int_key(10, 600000, [](Config& c, std::int64_t v) { c.outbox_poll_interval_ms = v; })},
        {"platform_timeout_ms", int_key(100, 300000, [](Config& c, std::int64_t v) { c.platform_timeout_ms = v; })},
        {"woocommerce_order_sweep_interval_s", int_key(0, 86400, [](Config& c, std::int64_t v) {
             c.woocommerce_order_sweep_interval_s = v;
         })},
        {"public_url", string_key(is_public_url, "must be an https:// address (or empty)",
                                  [](Config& c, const std::string& v) { c.public_url = v; })},
        {"shopify_api_version", string_key(is_api_version, "must be YYYY-MM",
                                           [](Config& c, const std::string& v) { c.shopify_api_version = v; })},
        {"shopify_timeout_ms", int_key(100, 120000, [](Config& c, std::int64_t v) { c.shopify_timeout_ms = v; })},
        {"shopify_subscription_check_interval_s", int_key(1, 86400, [](Config& c, std::int64_t v) {
             c.shopify_subscription_check_interval_s = v;
         })},
        {"shopify_order_sweep_interval_s", int_key(0, 86400, [](Config& c, std::int64_t v) {
             c.shopify_order_sweep_interval_s = v;
         })},
        {"shopify_metafield_quiet_ms", int_key(0, 3600000, [](Config& c, std::int64_t v) {
             c.shopify_metafield_quiet_ms = v;
         })},
        {"shopify_metafield_max_delay_ms", int_key(0, 86400000, [](Config& c, std::int64_t v) {
             c.shopify_metafield_max_delay_ms = v;
         })},
        {"tls_cert", string_key(is_any_path, "must be a path", [](Config& c, const std::string& v) { c.tls_cert = v; })},
        {"tls_key", string_key(is_any_path, "must be a path", [](Config& c, const std::string& v) { c.tls_key = v; })},
    };
    return keys;
}

const std::map<std::string, KeyHandler>& rules_keys() {
    static const std::map<std::string, KeyHandler> keys{
        {"earn_points", int_key(0, 1000000, [](Config& c, std::int64_t v) { c.rules.earn_rate.points = v; })},
        {"earn_per_units", int_key(1, 1000000, [](Config& c, std::int64_t v) { c.rules.earn_rate.per_units = v; })},
        {"earn_rounding", choice_key({"floor", "half_up"}, [](Config& c, const std::string& v) {
             c.rules.earn_rounding = *parse_rounding(v);
         })},
        {"pending_mode", choice_key({"days_after_paid", "on_completion"}, [](Config& c, const std::string& v) {
             c.rules.pending_mode = *parse_pending_mode(v);
         })},
        {"pending_days", int_key(0, 3650, [](Config& c, std::int64_t v) { c.rules.pending_days = v; })},
        {"redeem_points_per_unit", int_key(1, 1000000, [](Config& c, std::int64_t v) { c.rules.redeem_points_per_unit = v; })},
        {"redeem_minimum_points", int_key(0, 100000000, [](Config& c, std::int64_t v) { c.rules.redeem_minimum_points = v; })},
    };
    return keys;
}

std::optional<Error> read_table(const TomlReader& r, const toml::table& table, const std::string& prefix,
                                const std::map<std::string, KeyHandler>& handlers, Config& c) {
    for (const auto& [k, node] : table) {
        const std::string key(k.str());
        if (prefix.empty() && key == "rules") {
            if (!node.is_table()) return r.fail(key, node, "must be a table");
            if (auto e = read_table(r, *node.as_table(), "rules.", rules_keys(), c)) return e;
            continue;
        }
        const auto it = handlers.find(key);
        if (it == handlers.end()) return r.fail(prefix + key, node, "unknown key");
        if (auto e = it->second(r, prefix + key, node, c)) return e;
    }
    return std::nullopt;
}

}  // namespace

bool parse_listen(const std::string& text, std::string& host, int& port) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= text.size()) return false;
    const std::string digits = text.substr(colon + 1);
    if (digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
    const int p = std::stoi(digits);
    if (p < 0 || p > 65535) return false;
    host = text.substr(0, colon);
    port = p;
    return true;
}

Result<Config> load_config(const std::string& path) {
    Config config;
    config.source = path;
    toml::table table;
    try {
        table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        return make_error(ErrorCode::bad_config, path + " (line " + std::to_string(e.source().begin.line) +
                                                     "): " + std::string(e.description()));
    }
    const TomlReader reader{path, ErrorCode::bad_config};
    if (auto e = read_table(reader, table, "", top_level_keys(), config)) return *e;
    if (config.tls_cert.empty() != config.tls_key.empty()) {
        return make_error(ErrorCode::bad_config, path + ": tls_cert and tls_key must be set together", "tls_cert");
    }
    if (auto valid = validate_rules(config.rules); !valid) {
        return make_error(ErrorCode::bad_config, path + ": key 'rules." + valid.error().field + "': " +
                                                     valid.error().message);
    }
    return config;
}

std::string default_config_text() {
    return R"(# rewardd configuration. Every key is optional; the value shown is the default.

# Address and port the daemon listens on. Keep it on loopback behind a TLS proxy for Shopify.
listen = "127.0.0.1:8080"

# Folder holding the SQLite database (rewardd.db) and exports.
data_dir = "./var"

# "full": each commit is fsync'd before a webhook is answered 2xx; survives power loss.
# "normal": faster, may lose the last commits on power loss (never corrupts). Keep "full".
durability = "full"

# trace | debug | info | warn | error | off
log_level = "info"
# The level of the one line logged per HTTP request ("off" to silence them).
access_log_level = "info"

# Worker threads answering HTTP requests.
http_threads = 8
# Largest request body accepted, in bytes; larger bodies get 413.
webhook_body_bytes_max = 1048576
# Most events committed together in one group commit.
intake_batch_events_max = 1024
# Most stored events applied to the ledger in one transaction.
apply_batch_events_max = 512
# How often pending points are checked for release, in milliseconds.
release_check_interval_ms = 1000
# How long a write waits for another process's lock on the database (say `rewardd adjust`)
# before the request is answered 503, in milliseconds.
database_busy_timeout_ms = 5000
# Requests each /api/v1 bearer token may make per minute (bursts up to this, then evenly);
# over it the answer is 429 with Retry-After.
api_requests_per_minute_max = 600

# Outbox (rewards delivered to shops as coupons): the first retry waits outbox_retry_base_ms,
# each further one twice as long (with jitter, at most outbox_retry_max_ms; a platform's longer
# Retry-After wins); after outbox_attempts_max failures the item is parked for `rewardd outbox retry`.
outbox_retry_base_ms = 1000
outbox_retry_max_ms = 300000
outbox_attempts_max = 20
# How often the outbox looks for due items, in milliseconds.
outbox_poll_interval_ms = 1000
# Timeout of each call to a platform's API (WooCommerce REST), connect included, in milliseconds.
platform_timeout_ms = 10000
# How often each WooCommerce shop's recently modified orders are read back through its REST API, in
# seconds (15 min), so an order whose webhook WooCommerce dropped (it never retries one, and turns a
# webhook off after seven failures) still earns. 0: never.
woocommerce_order_sweep_interval_s = 900

# The public https address of this daemon as Shopify sees it (your reverse proxy or, with
# tls_cert/tls_key, the daemon itself). Webhook subscriptions point at <public_url>/webhooks/shopify.
# Empty: rewardd does not manage Shopify subscriptions.
public_url = ""
# The Shopify Admin API version rewardd speaks (YYYY-MM), pinned so payloads do not change under it.
shopify_api_version = "2026-07"
# Longest one Shopify Admin API request may take, in milliseconds.
shopify_timeout_ms = 10000
# How often the Shopify webhook subscriptions are checked and re-created, in seconds (3 h).
shopify_subscription_check_interval_s = 10800
# How often each Shopify shop's recently updated orders are read back, in seconds (15 min), so an
# order whose webhooks Shopify gave up on (8 tries in 4 hours) still earns. 0: never.
shopify_order_sweep_interval_s = 900
# A customer's balance and tier are written to their Shopify metafields once their changes have
# been quiet this long (a burst of orders makes one write), in milliseconds ...
shopify_metafield_quiet_ms = 2000
# ... but never later than this after the first change, in milliseconds.
shopify_metafield_max_delay_ms = 60000
# PEM certificate (chain) and private key: when both are set, `serve` speaks HTTPS itself.
# Empty: plain HTTP (put a TLS reverse proxy in front; docs/https.md).
tls_cert = ""
tls_key = ""

[rules]
# Points per currency unit: earn_points for every earn_per_units whole units of the base
# (the subtotal after discounts, without tax and shipping). Default: 1 point per 1.00.
earn_points = 1
earn_per_units = 1
# How the order's points are rounded: "floor" (default) or "half_up".
earn_rounding = "floor"
# When earned points become available: "days_after_paid" or "on_completion".
pending_mode = "days_after_paid"
pending_days = 14
# Redemption: this many points are worth 1.00 of discount; the smallest redemption in points.
redeem_points_per_unit = 100
redeem_minimum_points = 500
)";
}

}  // namespace rewardd
