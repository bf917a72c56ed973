// `rewardd rules show [--json] [--all]` and `rewardd rules set FILE [--effective-from TIME]`: the
// program rules, versioned in the database. A bad file names file, key and problem and changes
// nothing; a good one becomes a new version (entries already written keep theirs).
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "config/rules_file.hpp"
#include "store/rule_repository.hpp"

namespace rewardd {
namespace {

struct RulesOptions {
    CliContext context;
    std::string file;
    std::string effective_from;
    bool json = false;
    bool all = false;
};

nlohmann::json version_json(const RuleVersion& v) {
    return {{"version", v.rules.version},
            {"effective_from", format_timestamp(v.rules.effective_from)},
            {"created_at", format_timestamp(v.created_at)},
            {"source", v.source},
            {"rules", nlohmann::json::parse(rules_to_json(v.rules, v.source))}};
}

int show(const RulesOptions& o) {
    auto db = o.context.open();
    if (!db) return fail(db.error());
    auto versions = RuleRepository(*db).history();
    if (!versions) return fail(versions.error());
    if (versions->empty()) return fail(make_error(ErrorCode::not_found, "no rules recorded yet (run serve or rules set)"));
    const Timestamp now = now_utc();
    const RuleVersion* in_force = &versions->front();
    for (const auto& v : *versions) {
        if (v.rules.effective_from <= now) in_force = &v;
    }
    if (o.json) {
        nlohmann::json out{{"in_force", in_force->rules.version}, {"versions", nlohmann::json::array()}};
        for (const auto& v : *versions) {
            if (o.all || &v == in_force || v.rules.effective_from > now) out["versions"].push_back(version_json(v));
        }
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    for (const auto& v : *versions) {
        const char* mark = &v == in_force ? "in force" : (v.rules.effective_from > now ? "scheduled" : "past");
        std::cout << "# version " << v.rules.version << " (" << mark << "), effective from "
                  << format_timestamp(v.rules.effective_from) << ", recorded " << format_timestamp(v.created_at)
                  << " from " << v.source << "\n";
    }
    std::cout << "\n# rules of version " << in_force->rules.version << "\n" << rules_file_text(in_force->rules);
    return 0;
}

int set(const RulesOptions& o) {
    auto file = load_rules_file(o.file);
    if (!file) return fail(file.error());
    Timestamp effective_from = file->effective_from.value_or(now_utc());
    if (!o.effective_from.empty()) {
        auto parsed = parse_timestamp(o.effective_from);
        if (!parsed) return fail(make_error(ErrorCode::invalid_field, parsed.error().message, "--effective-from"));
        effective_from = *parsed;
    }
    auto config = o.context.config();
    if (!config) return fail(config.error());
    auto db = o.context.open();
    if (!db) return fail(db.error());
    RuleRepository repo(*db);
    // The config's rules come first, as serve would record them, so a later serve start does not
    // take them for a change and undo this file.
    if (auto v = repo.ensure(config->rules, 0, now_utc()); !v) return fail(v.error());
    auto before = repo.history();
    if (!before) return fail(before.error());
    auto version = repo.add(file->rules, effective_from, now_utc(), "file:" + o.file);
    if (!version) return fail(version.error());
    const bool unchanged = !before->empty() && before->back().rules.version == *version;
    if (unchanged) {
        std::cout << "rules unchanged: version " << *version << " already has this content\n";
    } else {
        std::cout << "rules version " << *version << " recorded, effective from " << format_timestamp(effective_from)
                  << " (a running serve picks it up on restart)\n";
    }
    return 0;
}

}  // namespace

void register_rules(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<RulesOptions>();
    auto* cmd = app.add_subcommand("rules", "show or set the program rules (versioned)");
    cmd->require_subcommand(1);
    auto* show_cmd = cmd->add_subcommand("show", "the rules in force and the version history");
    show_cmd->add_flag("--json", o->json, "JSON output");
    show_cmd->add_flag("--all", o->all, "with --json: every version's rules, not only the one in force");
    o->context.add_options(*show_cmd);
    show_cmd->callback([o, &exit_code] { exit_code = show(*o); });
    auto* set_cmd = cmd->add_subcommand("set", "validate a rules file and record it as a new version");
    set_cmd->add_option("file", o->file, "TOML rules file (docs/rules.md)")->required();
    set_cmd->add_option("--effective-from", o->effective_from, "UTC time it takes effect (default: the file's, else now)");
    o->context.add_options(*set_cmd);
    set_cmd->callback([o, &exit_code] { exit_code = set(*o); });
}

}  // namespace rewardd
