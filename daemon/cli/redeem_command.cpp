// `rewardd redeem CUSTOMER --points N [--shop ID] [--id REDEMPTION_ID] [--expires-days D |
// --expires-at TIME] [--currency CUR]`: takes the points and queues the coupon in one transaction;
// the running daemon's outbox delivers it to the shop (`rewardd outbox list` shows it). An order
// paid with the code commits the points; a code that expires unused gives them back.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "core/customer_key.hpp"
#include "core/money.hpp"
#include "core/timestamp.hpp"
#include "net/signature.hpp"
#include "rewards/redeem_service.hpp"
#include "store/shop_registry.hpp"
#include "store/rule_repository.hpp"

namespace rewardd {
namespace {

struct RedeemOptions {
    CliContext context;
    RedeemRequest request;
    std::int64_t expires_days = 0;
    std::string expires_at;  // ISO 8601
    bool json = false;
};

// With no --shop, the one shop that can take coupons (WooCommerce or Shopify).
Result<std::string> default_shop(std::shared_ptr<SQLite::Database> db) {
    auto shops = ShopRegistry(db).list();
    if (!shops) return shops.error();
    std::vector<std::string> candidates;
    for (const auto& s : *shops) {
        if (s.platform != "custom") candidates.push_back(s.id);
    }
    if (candidates.size() == 1) return candidates.front();
    return make_error(ErrorCode::invalid_field,
                      candidates.empty() ? "no WooCommerce or Shopify shop registered" : "several shops: give --shop",
                      "--shop");
}

int run_redeem(RedeemOptions& o) {
    auto db = o.context.open();
    if (!db) return fail(db.error());
    if (o.request.shop_id.empty()) {
        auto shop = default_shop(*db);
        if (!shop) return fail(shop.error());
        o.request.shop_id = *shop;
    }
    const Timestamp now = now_utc();
    if (o.request.redemption_id.empty()) o.request.redemption_id = "cli-" + std::to_string(now) + "-" + random_token(8);
    if (o.expires_days > 0) o.request.expires_at = now + o.expires_days * k_seconds_per_day;
    if (!o.expires_at.empty()) {
        auto at = parse_timestamp(o.expires_at);
        if (!at) return fail(make_error(ErrorCode::invalid_field, "--expires-at: " + at.error().message, "--expires-at"));
        if (*at <= now) return fail(make_error(ErrorCode::invalid_field, "--expires-at must be in the future", "--expires-at"));
        o.request.expires_at = *at;
    }
    auto rules = RuleRepository(*db).load();
    if (!rules) return fail(rules.error());
    auto outcome = redeem(*db, *rules, o.request, now);
    if (!outcome) return fail(outcome.error());
    const std::string amount =
        format_minor(outcome->amount_minor, currency_exponent(outcome->currency).value_or(2)) + " " + outcome->currency;
    if (o.json) {
        std::cout << nlohmann::json{{"redemption_id", outcome->redemption_id}, {"grant_id", outcome->entry_key},
                                    {"code", outcome->code}, {"points", outcome->points},
                                    {"amount_minor", outcome->amount_minor}, {"currency", outcome->currency},
                                    {"available_after", outcome->available_after}, {"existed", outcome->existed},
                                    {"minimum_subtotal_minor", outcome->minimum_subtotal_minor}}
                         .dump(2)
                  << "\n";
        return 0;
    }
    std::cout << (outcome->existed ? "already redeemed: " : "redeemed ") << outcome->points << " points of "
              << mask_email(o.request.customer_email) << " for coupon " << outcome->code << " (" << amount;
    if (outcome->minimum_subtotal_minor > 0) {
        std::cout << ", on orders from "
                  << format_minor(outcome->minimum_subtotal_minor, currency_exponent(outcome->currency).value_or(2));
    }
    std::cout << "), queued for shop " << o.request.shop_id << "; " << outcome->available_after << " points left\n";
    return 0;
}

}  // namespace

void register_redeem(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<RedeemOptions>();
    auto* cmd = app.add_subcommand("redeem", "turn a customer's points into a coupon in their shop");
    cmd->add_option("customer", o->request.customer_email, "the customer's e-mail")->required();
    cmd->add_option("--points", o->request.points, "points to redeem")->required();
    cmd->add_option("--shop", o->request.shop_id, "shop the coupon is for (default: the only one)");
    cmd->add_option("--id", o->request.redemption_id, "redemption id: the same id never redeems twice");
    auto* days = cmd->add_option("--expires-days", o->expires_days,
                                 "the coupon expires after this many days (default: never); unused, its points come back");
    cmd->add_option("--expires-at", o->expires_at, "the coupon expires at this instant (ISO 8601, e.g. 2027-01-31T23:59:59Z)")
        ->excludes(days);
    cmd->add_option("--currency", o->request.currency, "coupon currency (default: the shop's)");
    cmd->add_flag("--json", o->json, "JSON output");
    o->context.add_options(*cmd);
    cmd->callback([o, &exit_code] { exit_code = run_redeem(*o); });
}

}  // namespace rewardd
