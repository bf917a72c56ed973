#include "shop_check.hpp"

#include <iostream>

#include "adapters/woocommerce/order_listing.hpp"
#include "cli/cli_context.hpp"
#include "cli/shopify_shop_setup.hpp"
#include "net/http_client.hpp"
#include "outbox/woocommerce_coupon_deliverer.hpp"
#include "store/order_sweeps.hpp"

namespace rewardd {
namespace {

int check_shop(const CliContext& context, const std::string& id) {
    auto config = context.config();
    if (!config) return fail(config.error());
    auto db = context.open();
    if (!db) return fail(db.error());
    auto found = ShopRegistry(*db).find(id);
    if (!found) return fail(found.error());
    if (!*found) return fail(make_error(ErrorCode::not_found, "no shop " + id));
    const Shop& shop = **found;
    if (shop.platform == "shopify") return check_shopify_shop(*config, **db, shop);
    if (shop.platform == "woocommerce") return check_woocommerce_shop(*config, **db, shop);
    return fail(make_error(ErrorCode::invalid_field, "shop check is for Shopify and WooCommerce shops"));
}

// The newest event stored for the shop: whether webhooks arrive at all (WooCommerce keeps no
// delivery log of its own here). Walks the events from the newest, so a busy shop costs one row.
void print_last_event(SQLite::Database& db, const std::string& shop_id) {
    std::cout << "last event: ";
    try {
        SQLite::Statement q(db, "SELECT type, received_at FROM events WHERE shop_id = ? ORDER BY seq DESC LIMIT 1");
        q.bind(1, shop_id);
        if (q.executeStep()) {
            std::cout << q.getColumn(0).getString() << " at " << format_timestamp(q.getColumn(1).getInt64()) << "\n";
        } else {
            std::cout << "none\n";
        }
    } catch (const SQLite::Exception& e) {
        std::cout << "unknown (" << e.what() << ")\n";
    }
}

}  // namespace

void register_shop_check(CLI::App& shop_command, int& exit_code) {
    auto context = std::make_shared<CliContext>();
    auto id = std::make_shared<std::string>();
    auto* cmd = shop_command.add_subcommand(
        "check", "Shopify: token, scopes, webhook subscriptions, last delivery; WooCommerce: REST key, last event; "
                 "both: how far orders were swept");
    cmd->add_option("id", *id, "shop id")->required();
    context->add_options(*cmd);
    cmd->callback([context, id, &exit_code] { exit_code = check_shop(*context, *id); });
}

void print_orders_swept(SQLite::Database& db, const std::string& shop_id, std::int64_t interval_s, const char* key) {
    // The next sweep reads back the orders changed since then (http/order_sweep.hpp).
    const auto swept = OrderSweeps(db).swept_until(shop_id);
    std::cout << "orders swept: ";
    if (interval_s == 0) std::cout << "off (" << key << " = 0)\n";
    else if (swept && *swept) std::cout << "up to " << format_timestamp(**swept) << "\n";
    else if (swept) std::cout << "not yet\n";
    else std::cout << "unknown (" << swept.error().message << ")\n";
}

// The REST key is tried with the order sweep's own call (one order modified in the last day): a
// key that cannot read orders cannot sweep them, nor fetch refund documents.
int check_woocommerce_shop(const Config& config, SQLite::Database& db, const Shop& shop) {
    const auto site = woocommerce_site(shop);
    std::cout << "shop: " << shop.id << " (" << (site ? site->url : "no --url") << ")\n";
    bool key_works = false;
    std::cout << "rest key: ";
    if (!site) {
        std::cout << "none (add the shop again with --url, --consumer-key and --consumer-secret: without them no "
                     "coupons are created, no refund is read and no order is swept)\n";
    } else {
        const Timestamp now = now_utc();
        WooCommerceRest rest(std::make_shared<CurlHttpClient>(), config.platform_timeout_ms, now_utc);
        const HttpResponse response =
            rest.get(*site, "orders", woocommerce::orders_modified_since_query(now - k_seconds_per_day, 1, 1));
        key_works = response.error == TransportError::none && response.status == 200;
        if (key_works) std::cout << "works (orders listed)\n";
        else std::cout << "refused (" << classify_failure(response, "list orders").detail << ")\n";
    }
    print_last_event(db, shop.id);
    print_orders_swept(db, shop.id, config.woocommerce_order_sweep_interval_s, "woocommerce_order_sweep_interval_s");
    return key_works ? 0 : 1;
}

}  // namespace rewardd
