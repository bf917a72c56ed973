// `rewardd import balances FILE --format csv --source smile|yith|woo-points-rewards [--dry-run]
// [--skip-bad]`: opening balances from another loyalty app (daemon/books/balance_import). Bad rows
// are listed by line and nothing is imported unless every row is good or --skip-bad is given.
#include <fstream>
#include <iostream>
#include <sstream>

#include "books/balance_import.hpp"
#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "core/customer_key.hpp"
#include "store/rule_repository.hpp"

namespace rewardd {
namespace {

struct ImportOptions {
    CliContext context;
    std::string file;
    std::string format = "csv";
    std::string source;
    bool dry_run = false;
    bool skip_bad = false;
};

const char* outcome_text(books::RowOutcome outcome, bool dry_run) {
    switch (outcome) {
        case books::RowOutcome::imported: return dry_run ? "would import" : "imported";
        case books::RowOutcome::already_imported: return "already imported, unchanged";
        case books::RowOutcome::skipped_zero: return "zero, nothing to import";
    }
    return "";
}

int import_balances(const ImportOptions& o) {
    if (o.format != "csv") return fail(make_error(ErrorCode::invalid_field, "--format must be csv", "--format"));
    const auto source = books::parse_import_source(o.source);
    if (!source) {
        return fail(make_error(ErrorCode::invalid_field, "--source must be smile, yith or woo-points-rewards", "--source"));
    }
    std::ifstream in(o.file, std::ios::binary);
    if (!in) return fail(make_error(ErrorCode::not_found, "cannot read " + o.file, "FILE"));
    std::stringstream text;
    text << in.rdbuf();
    const auto parsed = books::parse_balances(text.str(), *source);
    for (const auto& bad : parsed.bad) std::cerr << o.file << ":" << bad.line << ": " << bad.reason << "\n";
    if (!parsed.bad.empty() && !o.skip_bad) {
        return fail(make_error(ErrorCode::invalid_field, std::to_string(parsed.bad.size()) +
                                                             " bad rows: nothing imported (fix them, or --skip-bad)"));
    }
    auto db = o.context.open();
    if (!db) return fail(db.error());
    auto rules = RuleRepository(*db).load();
    if (!rules) return fail(rules.error());
    auto done = books::import_balances(*db, *rules, parsed.rows, *source, o.dry_run, now_utc());
    if (!done) return fail(done.error());
    std::int64_t points = 0, count = 0;
    for (const auto& r : *done) {
        std::cout << "line " << r.row.line << ": " << mask_email(r.row.email) << " " << r.row.points << " points: "
                  << outcome_text(r.outcome, o.dry_run) << "\n";
        if (r.outcome == books::RowOutcome::imported) {
            points += r.row.points;
            ++count;
        }
    }
    std::cout << (o.dry_run ? "dry run: would import " : "imported ") << count << " balances, " << points
              << " points, from " << books::import_source_id(*source) << " (" << parsed.bad.size()
              << " bad rows skipped)\n";
    return 0;
}

}  // namespace

void register_import(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<ImportOptions>();
    auto* import = app.add_subcommand("import", "bring data in from other loyalty apps");
    import->require_subcommand(1);
    auto* cmd = import->add_subcommand("balances", "opening balances exported by Smile.io, YITH or WooCommerce Points and Rewards");
    cmd->add_option("file", o->file, "the exported CSV file")->required();
    cmd->add_option("--format", o->format, "csv");
    cmd->add_option("--source", o->source, "smile, yith or woo-points-rewards")->required();
    cmd->add_flag("--dry-run", o->dry_run, "show what would change; write nothing");
    cmd->add_flag("--skip-bad", o->skip_bad, "import the good rows even when some are bad");
    o->context.add_options(*cmd);
    cmd->callback([o, &exit_code] { exit_code = import_balances(*o); });
}

}  // namespace rewardd
