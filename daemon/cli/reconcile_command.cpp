// `rewardd reconcile [--shop ID] [--since DATE] [--json] [--fix]`: the ledger against a replay of
// the stored events, and issued rewards against the outbox and the platforms (daemon/books).
// Exit 0 only when everything agrees. Wiring and printing only.
#include <chrono>
#include <iostream>
#include <thread>

#include "books/period.hpp"
#include "books/reconcile.hpp"
#include "books/shopify_credit_lister.hpp"
#include "books/shopify_discount_lister.hpp"
#include "books/woocommerce_coupon_lister.hpp"
#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "cli/shopify_shop_setup.hpp"
#include "net/http_client.hpp"

namespace rewardd {
namespace {

struct ReconcileOptions {
    CliContext context;
    std::string shop;
    std::string since;
    bool json = false;
    bool fix = false;
};

void sleep_ms(std::int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// One Shopify client for codes and store credit: one leaky bucket per shop paces both.
void wire_platform_listers(const Config& config, std::shared_ptr<shopify::AdminApi> api,
                           books::ReconcileRequest& request) {
    auto woocommerce = std::make_shared<books::WooCommerceCouponLister>(
        WooCommerceRest(std::make_shared<CurlHttpClient>(), config.platform_timeout_ms, now_utc), sleep_ms);
    auto shopify = std::make_shared<books::ShopifyDiscountLister>(api->graphql, sleep_ms);
    request.listers = {{"woocommerce", [woocommerce](const Shop& shop) { return woocommerce->list(shop); }},
                       {"shopify", [api, shopify](const Shop& shop) { return shopify->list(shop); }}};
    request.finders = {{"woocommerce", [woocommerce](const Shop& shop, const std::string& ref) {
                            return woocommerce->find(shop, ref);
                        }}};
}

std::map<std::string, books::CreditLister> credit_listers(std::shared_ptr<shopify::AdminApi> api) {
    auto credits = std::make_shared<books::ShopifyCreditLister>(api->graphql, sleep_ms);
    return {{"shopify", [api, credits](const Shop& shop, const std::string& customer) {
                 return credits->list(shop, customer);
             }}};
}

void print(const books::ReconcileReport& report, const std::vector<std::string>& repairs, bool json) {
    if (json) {
        nlohmann::json doc{{"agrees", report.findings.empty()},
                           {"entries_compared", report.entries_compared},
                           {"grants_checked", report.grants_checked},
                           {"platform_rewards_listed", report.platform_rewards_listed},
                           {"findings", books::findings_json(report.findings)},
                           {"repairs", repairs}};
        std::cout << doc.dump(2) << "\n";
        return;
    }
    books::print_findings_table(std::cout, report.findings);
    for (const auto& line : repairs) std::cout << "fixed: " << line << "\n";
    std::cout << (report.findings.empty() ? "everything agrees: " : std::to_string(report.findings.size()) + " findings: ")
              << report.entries_compared << " ledger entries replayed and compared, " << report.grants_checked
              << " grants checked, " << report.platform_rewards_listed << " platform rewards listed\n";
}

int reconcile(const ReconcileOptions& o) {
    auto config = o.context.config();
    if (!config) return fail(config.error());
    auto since = books::parse_day(o.since, 0, books::DayEdge::start);
    if (!since) return fail(since.error());
    auto db = o.context.open();
    if (!db) return fail(db.error());
    books::ReconcileRequest request;
    request.scope = {o.shop, *since};
    auto api = shopify::make_admin_api(shopify_admin_options(*config));
    wire_platform_listers(*config, api, request);
    request.credit_listers = credit_listers(api);
    auto report = books::reconcile(*db, request);
    if (!report) return fail(report.error());
    std::vector<std::string> repairs;
    if (o.fix) repairs = books::apply_repairs(*db, report->findings, now_utc());
    print(*report, repairs, o.json);
    return report->findings.empty() ? 0 : 1;
}

}  // namespace

void register_reconcile(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<ReconcileOptions>();
    auto* cmd = app.add_subcommand("reconcile", "check the ledger against the events and the rewards against the shops");
    cmd->add_option("--shop", o->shop, "only this shop");
    cmd->add_option("--since", o->since, "only entries and grants from this date (YYYY-MM-DD or a timestamp)");
    cmd->add_flag("--json", o->json, "JSON output");
    cmd->add_flag("--fix", o->fix, "repair what is safe: re-queue lost deliveries, mark used codes redeemed");
    o->context.add_options(*cmd);
    cmd->callback([o, &exit_code] { exit_code = reconcile(*o); });
}

}  // namespace rewardd
