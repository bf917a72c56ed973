// `rewardd report [--from DATE] [--to DATE] [--shop ID] [--currency CODE] [--json|--csv]`: the
// bookkeeper's figures for a period (daemon/books/report, definitions in docs/report.md).
#include <iostream>

#include "books/period.hpp"
#include "books/report_render.hpp"
#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "store/rule_repository.hpp"
#include "store/shop_registry.hpp"

namespace rewardd {
namespace {

struct ReportOptions {
    CliContext context;
    std::string from, to, shop, currency;
    bool json = false;
    bool csv = false;
};

// --currency, else the shop's `currency` setting when every shop in scope agrees on one.
std::string valuation_currency(const std::string& given, const std::vector<Shop>& shops, const std::string& only) {
    if (!given.empty()) return given;
    std::string found;
    for (const auto& s : shops) {
        if (!only.empty() && s.id != only) continue;
        const auto it = s.settings.find("currency");
        if (it == s.settings.end() || it->second.empty()) continue;
        if (!found.empty() && found != it->second) return "";
        found = it->second;
    }
    return found;
}

int report(const ReportOptions& o) {
    auto period = books::parse_period(o.from, o.to);
    if (!period) return fail(period.error());
    auto db = o.context.open();
    if (!db) return fail(db.error());
    auto rules = RuleRepository(*db).load();
    if (!rules) return fail(rules.error());
    auto shops = ShopRegistry(*db).list();
    if (!shops) return fail(shops.error());
    books::ReportRequest request{period->from, period->to, o.shop, valuation_currency(o.currency, *shops, o.shop)};
    auto r = books::load_report(**db, *rules, request);
    if (!r) return fail(r.error());
    if (o.json) std::cout << books::report_json(*r).dump(2) << "\n";
    else if (o.csv) books::write_report_csv(std::cout, *r);
    else books::write_report_text(std::cout, *r);
    return 0;
}

}  // namespace

void register_report(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<ReportOptions>();
    auto* cmd = app.add_subcommand("report", "the bookkeeper's figures for a period (docs/report.md)");
    cmd->add_option("--from", o->from, "first day (YYYY-MM-DD) or timestamp; default: the beginning");
    cmd->add_option("--to", o->to, "last day (YYYY-MM-DD, included) or timestamp; default: now");
    cmd->add_option("--shop", o->shop, "only this shop");
    cmd->add_option("--currency", o->currency, "value points in this currency (default: the shops' currency)");
    auto* json = cmd->add_flag("--json", o->json, "JSON output");
    cmd->add_flag("--csv", o->csv, "CSV output (figure,value)")->excludes(json);
    o->context.add_options(*cmd);
    cmd->callback([o, &exit_code] { exit_code = report(*o); });
}

}  // namespace rewardd
