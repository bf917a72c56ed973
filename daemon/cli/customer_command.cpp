// `rewardd customer show CUSTOMER [--json]`: balance, tier, lifetime totals, recent history.
#include <iostream>

#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "store/rule_repository.hpp"
#include "views/customer_view.hpp"

namespace rewardd {
namespace {

struct ShowOptions {
    CliContext context;
    std::string customer;
    bool json = false;
    std::size_t history = 20;
};

int show(const ShowOptions& o) {
    auto db = o.context.open();
    if (!db) return fail(db.error());
    SqliteStore store(*db);
    auto view = load_customer_view(store, o.customer);
    if (!view) return fail(view.error());
    auto rules = RuleRepository(*db).load();
    if (!rules) return fail(rules.error());
    auto doc = customer_show_json(*view, o.history);
    add_expiring_json(doc, *rules, *view, now_utc());
    if (o.json) {
        std::cout << doc.dump(2) << "\n";
        return 0;
    }
    std::cout << "customer  " << view->customer.email << " (id " << view->customer.id << ")\n"
              << "available " << view->balance.available << " points\n"
              << "pending   " << view->balance.pending << " points\n"
              << "tier      " << doc["tier"].get<std::string>() << "\n"
              << "earned    " << view->balance.lifetime_earned << " lifetime, redeemed "
              << view->balance.lifetime_redeemed << "\n";
    if (!doc["next_expiry"].is_null()) {
        std::cout << "expiring  " << doc["next_expiry"]["points"].get<std::int64_t>() << " points on "
                  << doc["next_expiry"]["at"].get<std::string>() << "\n";
    }
    if (!doc["history"].empty()) std::cout << "recent:\n";
    for (const auto& h : doc["history"]) {
        std::cout << "  " << h["effective_at"].get<std::string>() << "  " << h["kind"].get<std::string>() << "  "
                  << h["points"].get<std::int64_t>() << "  " << h["key"].get<std::string>() << "\n";
    }
    return 0;
}

}  // namespace

void register_customer(CLI::App& app, int& exit_code) {
    auto* customer = app.add_subcommand("customer", "look at a customer");
    customer->require_subcommand(1);
    auto o = std::make_shared<ShowOptions>();
    auto* cmd = customer->add_subcommand("show", "balance, tier, lifetime totals and recent history");
    cmd->add_option("customer", o->customer, "e-mail or internal id")->required();
    cmd->add_flag("--json", o->json, "JSON output (stable keys, see docs/cli.md)");
    cmd->add_option("--history", o->history, "how many recent entries (default 20)");
    o->context.add_options(*cmd);
    cmd->callback([o, &exit_code] { exit_code = show(*o); });
}

}  // namespace rewardd
