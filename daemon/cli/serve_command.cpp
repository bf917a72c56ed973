// `rewardd serve`: opens the database, records the configured rules as a version, starts the
// single writer and the HTTP server, and shuts down cleanly on SIGTERM/SIGINT (stop accepting,
// finish in-flight requests and batches, exit 0).
#include <spdlog/spdlog.h>

#include <malloc.h>

#include <csignal>
#include <thread>

#include "catalog/category_preparer.hpp"
#include "catalog/woocommerce_category_fetcher.hpp"
#include "refunds/refund_line_preparer.hpp"
#include "refunds/woocommerce_refund_fetcher.hpp"
#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "http/api_routes.hpp"
#include "http/http_server.hpp"
#include "http/shopify_webhook.hpp"
#include "http/shopify_webhook_privacy.hpp"
#include "http/woocommerce_webhook.hpp"
#include "outbox/outbox_worker.hpp"
#include "outbox/woocommerce_coupon_deliverer.hpp"
#include "rewards/applier_wiring.hpp"
#include "store/data_dir_lock.hpp"
#include "store/rule_repository.hpp"
#include "adapters/shopify/shopify_reward_deliverer.hpp"
#include "cli/shopify_shop_setup.hpp"
#include "http/shopify_order_sweeper.hpp"
#include "http/woocommerce_order_sweeper.hpp"
#include "http/shopify_subscription_keeper.hpp"
#include "http/shopify_metafield_writer.hpp"
#include "rewards/redemption_codes.hpp"
#include "http/metrics_route.hpp"
#include "http/request_id.hpp"
#include "net/http_relay.hpp"

namespace rewardd {
namespace {

struct ServeOptions {
    CliContext context;
    std::string listen;
};

HttpServer* g_server = nullptr;

void on_signal(int) {
    if (g_server) g_server->stop();  // cpp-httplib's stop() only flips flags and shuts the socket
}

// Outgoing HTTP goes through rewardd-http helpers when the helper sits beside this binary, so the
// daemon never loads libcurl (net/http_relay.hpp); otherwise libcurl runs in-process.
class OutgoingHttp {
public:
    OutgoingHttp() {
        if (const auto helper = relay_helper_beside_executable()) {
            m_relay = std::make_shared<HttpRelay>(*helper);
        } else {
            spdlog::warn("rewardd: no rewardd-http beside this binary; outgoing HTTP loads libcurl in-process");
        }
    }
    std::unique_ptr<HttpClient> client() const {
        if (m_relay) return std::make_unique<RelayHttpClient>(m_relay);
        return std::make_unique<CurlHttpClient>();
    }

private:
    std::shared_ptr<HttpRelay> m_relay;
};

int serve(const ServeOptions& o) {
    // glibc keeps 128 KiB of slack above the top of every heap it trims, resident once a burst has
    // touched it; a daemon idle most of the day keeps none (bench/README, session 20: about
    // 160 KiB less idle after 2,000 orders; ingest unchanged within the VM's spread).
    mallopt(M_TOP_PAD, 0);
    auto config = o.context.config();
    if (!config) return fail(config.error());
    if (!o.listen.empty() && !parse_listen(o.listen, config->listen_host, config->listen_port)) {
        return fail(make_error(ErrorCode::invalid_field, "--listen must be HOST:PORT", "--listen"));
    }
    spdlog::set_level(spdlog::level::from_str(config->log_level));
    install_request_log_format();
    const DatabaseOptions db_options{database_path(config->data_dir), config->durability,
                                     static_cast<int>(config->database_busy_timeout_ms)};
    auto writer_db = open_database(db_options);
    if (!writer_db) return fail(writer_db.error());
    auto data_lock = DataDirLock::acquire(config->data_dir);  // one daemon per data folder
    if (!data_lock) return fail(data_lock.error());
    auto reader_db = open_database(db_options);
    if (!reader_db) return fail(reader_db.error());

    RuleRepository rules_repo(*writer_db);
    if (auto v = rules_repo.ensure(config->rules, now_utc(), now_utc()); !v) return fail(v.error());
    auto rules = rules_repo.load();
    if (!rules) return fail(rules.error());
    auto engine = std::make_shared<const RewardEngine>(*rules);

    BatchWriter writer(*writer_db, engine,
                       {static_cast<std::size_t>(config->intake_batch_events_max),
                        static_cast<std::size_t>(config->apply_batch_events_max),
                        config->release_check_interval_ms},
                       now_utc);
    ShopDirectory shops(*reader_db, std::chrono::seconds(2));
    EventIntake intake(shops, writer, now_utc);
    HttpServer server({config->listen_host, config->listen_port, config->http_threads,
                       static_cast<std::size_t>(config->webhook_body_bytes_max), config->access_log_level,
                       config->tls_cert, config->tls_key},
                      intake, [&writer] { return writer.healthy(); });
    // Shopify: webhooks in (own connection for its delivery log), privacy requests after the answer.
    auto shopify_db = open_database(db_options);
    if (!shopify_db) return fail(shopify_db.error());
    auto privacy_db = open_database(db_options);
    if (!privacy_db) return fail(privacy_db.error());
    ShopifyPrivacyWorker shopify_privacy(*privacy_db, config->data_dir, now_utc);
    ShopifyWebhook shopify_webhook(*shopify_db, writer, now_utc, [&shopify_privacy] { shopify_privacy.notify(); });
    server.add_post_route("/webhooks/shopify", [&shopify_webhook](const httplib::Request& req, httplib::Response& res) {
        shopify_webhook.handle(req, res);
    });
    auto api_db = open_database(db_options);
    if (!api_db) return fail(api_db.error());
    ApiRoutes api(*api_db, shops, engine, now_utc, {config->api_requests_per_minute_max, REWARDD_VERSION});
    api.install(server);
    // WooCommerce: native webhooks in (own read connection for order.deleted lookups).
    auto woocommerce_db = open_database(db_options);
    if (!woocommerce_db) return fail(woocommerce_db.error());
    WooCommerceWebhook woocommerce_webhook(shops, *woocommerce_db, writer, now_utc);
    // When no event has come for the writer's idle delay, the request side gives back its caches too.
    writer.add_idle_shed([&shopify_webhook, &woocommerce_webhook, &api] {
        shopify_webhook.release_idle_memory();
        woocommerce_webhook.release_idle_memory();
        api.release_idle_memory();
    });
    server.add_post_route(WooCommerceWebhook::route_pattern(),
                          [&woocommerce_webhook](const httplib::Request& req, httplib::Response& res) {
                              woocommerce_webhook.handle(req, res);
                          });
    // Outbox: rewards committed with their ledger entries, delivered to shops by one worker.
    auto outbox_db = open_database(db_options);
    if (!outbox_db) return fail(outbox_db.error());
    const OutgoingHttp outgoing_http;
    OutboxWorker outbox(*outbox_db,
                        {{config->outbox_retry_base_ms, config->outbox_retry_max_ms,
                          static_cast<int>(config->outbox_attempts_max)},
                         config->outbox_poll_interval_ms},
                        unix_ms_now);
    outbox.add_deliverer(std::make_unique<WooCommerceCouponDeliverer>(
        WooCommerceRest(outgoing_http.client(), config->platform_timeout_ms, now_utc)));
    // WooCommerce refunds wait for their documents (lines, shipping), fetched by the outbox's thread.
    writer.add_order_preparer(make_refund_line_preparer(*writer_db));
    WooCommerceRefundFetcher refund_fetcher(
        *outbox_db, WooCommerceRest(outgoing_http.client(), config->platform_timeout_ms, now_utc),
        RetryPolicy{config->outbox_retry_base_ms, config->outbox_retry_max_ms,
                    static_cast<int>(config->outbox_attempts_max)});
    outbox.add_side_task(
        [&refund_fetcher](std::int64_t now_ms) { return refund_fetcher.run_once(now_ms / 1000, 1) > 0; });
    writer.set_entry_hook(daemon_entry_hook(*writer_db));
    // Redemption codes used by orders commit their reservations; expired ones are released.
    writer.set_code_lookup(outbox_code_lookup(*writer_db));
    // WooCommerce orders carry no product categories: fetched when the rules look at them.
    std::optional<WooCommerceCategoryFetcher> category_fetcher;
    if (rules_use_categories(*rules)) {
        writer.add_order_preparer(make_category_preparer(*writer_db));
        auto catalog_db = open_database(db_options);
        if (!catalog_db) return fail(catalog_db.error());
        category_fetcher.emplace(
            *catalog_db,
            WooCommerceRest(outgoing_http.client(), config->platform_timeout_ms, now_utc),
            RetryPolicy{config->outbox_retry_base_ms, config->outbox_retry_max_ms,
                        static_cast<int>(config->outbox_attempts_max)},
            std::chrono::milliseconds(config->outbox_poll_interval_ms), now_utc);
    }
    // Shopify out: discount codes and store credit through the Admin API; subscriptions kept.
    auto shopify_api = shopify::make_admin_api(shopify_admin_options(*config), outgoing_http.client());
    outbox.add_deliverer(std::make_unique<shopify::ShopifyRewardDeliverer>(shopify_api, now_utc));
    auto keeper_db = open_database(db_options);
    if (!keeper_db) return fail(keeper_db.error());
    ShopifySubscriptionKeeper shopify_keeper(*keeper_db, shopify_api, config->public_url,
                                             std::chrono::seconds(config->shopify_subscription_check_interval_s),
                                             std::chrono::seconds(60));
    // Orders whose webhooks never came (Shopify gave up, a subscription was deleted) read back.
    std::optional<ShopifyOrderSweeper> order_sweeper;
    if (config->shopify_order_sweep_interval_s > 0) {
        OrderSweepOptions sweep_options;
        sweep_options.interval = std::chrono::seconds(config->shopify_order_sweep_interval_s);
        order_sweeper.emplace([db_options] { return open_database(db_options); }, shopify_api, writer, now_utc,
                              sweep_options);
    }
    // Orders whose WooCommerce webhooks were dropped (WooCommerce never retries a delivery) read back.
    std::optional<WooCommerceOrderSweeper> woocommerce_sweeper;
    if (config->woocommerce_order_sweep_interval_s > 0) {
        OrderSweepOptions sweep_options;
        sweep_options.interval = std::chrono::seconds(config->woocommerce_order_sweep_interval_s);
        woocommerce_sweeper.emplace([db_options] { return open_database(db_options); },
                                    WooCommerceRest(outgoing_http.client(), config->platform_timeout_ms, now_utc),
                                    writer, now_utc, sweep_options);
    }
    auto metafield_db = open_database(db_options);
    if (!metafield_db) return fail(metafield_db.error());
    ShopifyMetafieldWriter shopify_metafields(*metafield_db, shopify_api,
                                              {config->shopify_metafield_quiet_ms, config->shopify_metafield_max_delay_ms},
                                              unix_ms_now);
    // GET /metrics: counters recorded by the server, the writer and the outbox, plus database figures.
    metrics::DaemonMetrics daemon_metrics;
    server.set_metrics(&daemon_metrics.http);
    writer.set_metrics(&daemon_metrics.ingest);
    outbox.set_metrics(&daemon_metrics.outbox);
    if (order_sweeper) order_sweeper->set_metrics(&daemon_metrics.sweep);
    if (woocommerce_sweeper) woocommerce_sweeper->set_metrics(&daemon_metrics.woocommerce_sweep);
    auto metrics_db = open_database(db_options);
    if (!metrics_db) return fail(metrics_db.error());
    metrics::StoreGauges store_gauges(*metrics_db);
    install_metrics_route(server, daemon_metrics, store_gauges, now_utc);
    shopify_privacy.start();
    if (!server.bind()) return 1;
    writer.start();
    outbox.start();
    if (category_fetcher) category_fetcher->start();
    shopify_keeper.start();
    if (order_sweeper) order_sweeper->start();
    if (woocommerce_sweeper) woocommerce_sweeper->start();
    shopify_metafields.start();
    g_server = &server;
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    spdlog::info("rewardd: listening on {}:{} data={} rules=v{} config={}", config->listen_host,
                 config->listen_port, config->data_dir, rules->latest().version, config->source);
    server.serve();  // returns once stopped and in-flight requests are done
    g_server = nullptr;
    shopify_privacy.stop();
    shopify_keeper.stop();
    if (order_sweeper) order_sweeper->stop();
    if (woocommerce_sweeper) woocommerce_sweeper->stop();
    shopify_metafields.stop();
    writer.stop();
    outbox.stop();
    if (category_fetcher) category_fetcher->stop();
    spdlog::info("rewardd: stopped");
    return 0;
}

}  // namespace

void register_serve(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<ServeOptions>();
    auto* cmd = app.add_subcommand("serve", "run the daemon");
    cmd->add_option("--listen", o->listen, "HOST:PORT (default 127.0.0.1:8080)");
    o->context.add_options(*cmd);
    cmd->callback([o, &exit_code] { exit_code = serve(*o); });
}

}  // namespace rewardd
