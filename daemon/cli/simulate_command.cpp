// `rewardd simulate --rules FILE [--from DATE] [--to DATE] [--json]`: the stored history replayed
// under proposed rules beside the recorded ones (daemon/books/simulation); nothing is written.
#include <nlohmann/json.hpp>

#include <iostream>

#include "books/period.hpp"
#include "books/simulation.hpp"
#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "config/rules_file.hpp"
#include "core/customer_key.hpp"
#include "store/rule_repository.hpp"

namespace rewardd {
namespace {

struct SimulateOptions {
    CliContext context;
    std::string rules_path;
    std::string from;
    std::string to;
    std::size_t movers = 10;
    bool json = false;
};

nlohmann::json figures_json(const books::SimulatedFigures& f) {
    return {{"points_issued", f.points_issued}, {"points_taken_back", f.points_taken_back},
            {"cashback_minor", f.cashback_minor}, {"liability_points", f.liability_points},
            {"tier_sizes", f.tier_sizes}};
}

void print_row(const std::string& name, std::int64_t current, std::int64_t proposed) {
    std::cout << "  " << name << std::string(name.size() < 24 ? 24 - name.size() : 1, ' ') << current << " -> "
              << proposed << " (" << (proposed - current >= 0 ? "+" : "") << proposed - current << ")\n";
}

void print_text(const books::SimulationReport& r) {
    std::cout << "simulated up to " << format_timestamp(r.to) << ": recorded rules -> proposed rules\n";
    print_row("points issued", r.current.points_issued, r.proposed.points_issued);
    print_row("points taken back", r.current.points_taken_back, r.proposed.points_taken_back);
    print_row("liability (points)", r.current.liability_points, r.proposed.liability_points);
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> cashback, tiers;
    for (const auto& [c, v] : r.current.cashback_minor) cashback[c].first = v;
    for (const auto& [c, v] : r.proposed.cashback_minor) cashback[c].second = v;
    for (const auto& [c, v] : cashback) print_row("cashback (minor " + c + ")", v.first, v.second);
    for (const auto& [t, n] : r.current.tier_sizes) tiers[t].first = n;
    for (const auto& [t, n] : r.proposed.tier_sizes) tiers[t].second = n;
    for (const auto& [t, n] : tiers) print_row("tier " + (t.empty() ? std::string("(none)") : t), n.first, n.second);
    std::cout << "largest movers (balance now -> under the proposed rules):\n";
    for (const auto& m : r.movers) print_row(mask_email(m.customer), m.current, m.proposed);
}

int simulate(const SimulateOptions& o) {
    auto proposed = load_rules_file(o.rules_path);
    if (!proposed) return fail(proposed.error());
    auto period = books::parse_period(o.from, o.to);
    if (!period) return fail(period.error());
    auto db = o.context.open();
    if (!db) return fail(db.error());
    auto recorded = RuleRepository(*db).load();
    if (!recorded) return fail(recorded.error());
    auto report = books::simulate(**db, *recorded, {proposed->rules, period->from, period->to, o.movers});
    if (!report) return fail(report.error());
    if (!o.json) {
        print_text(*report);
        return 0;
    }
    nlohmann::json movers = nlohmann::json::array();
    for (const auto& m : report->movers) movers.push_back({{"customer", m.customer}, {"current", m.current}, {"proposed", m.proposed}});
    std::cout << nlohmann::json{{"to", format_timestamp(report->to)}, {"current", figures_json(report->current)},
                                {"proposed", figures_json(report->proposed)}, {"movers", movers}}
                     .dump(2)
              << "\n";
    return 0;
}

}  // namespace

void register_simulate(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<SimulateOptions>();
    auto* cmd = app.add_subcommand("simulate", "replay the stored history under proposed rules; nothing is written");
    cmd->add_option("--rules", o->rules_path, "the proposed rules file (as for `rules set`)")->required();
    cmd->add_option("--from", o->from, "proposed rules in force from this date (default: all history)");
    cmd->add_option("--to", o->to, "only events up to this date (default: everything applied)");
    cmd->add_option("--movers", o->movers, "how many of the largest per-customer differences to show");
    cmd->add_flag("--json", o->json, "JSON output");
    o->context.add_options(*cmd);
    cmd->callback([o, &exit_code] { exit_code = simulate(*o); });
}

}  // namespace rewardd
