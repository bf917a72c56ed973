// `rewardd export customers|ledger|events [--format csv|jsonl] [--out FILE]`: streams rows to
// stdout, or to FILE through a temporary file renamed at the end (no half-written exports).
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "views/export_rows.hpp"

namespace rewardd {
namespace {

struct ExportOptions {
    CliContext context;
    std::string what;
    std::string format = "csv";
    std::string out;
};

int run_export(const ExportOptions& o) {
    const auto kind = parse_export_kind(o.what);
    if (!kind) return fail(make_error(ErrorCode::invalid_field, "export what: customers, ledger or events", "WHAT"));
    const auto format = parse_export_format(o.format);
    if (!format) return fail(make_error(ErrorCode::invalid_field, "--format must be csv or jsonl", "--format"));
    auto db = o.context.open();
    if (!db) return fail(db.error());
    if (o.out.empty()) {
        auto n = export_rows(**db, *kind, *format, std::cout);
        return n ? 0 : fail(n.error());
    }
    const std::string partial = o.out + ".partial";
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    auto n = export_rows(**db, *kind, *format, file);
    file.close();
    if (!n || !file) {
        std::filesystem::remove(partial);
        return fail(n ? make_error(ErrorCode::storage_unavailable, "could not write " + o.out, "--out") : n.error());
    }
    std::filesystem::rename(partial, o.out);
    std::cerr << "exported " << *n << " " << o.what << " to " << o.out << "\n";
    return 0;
}

}  // namespace

void register_export(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<ExportOptions>();
    auto* cmd = app.add_subcommand("export", "stream customers, ledger entries or events as CSV or JSON Lines");
    cmd->add_option("what", o->what, "customers, ledger or events")->required();
    cmd->add_option("--format", o->format, "csv (default) or jsonl");
    cmd->add_option("--out", o->out, "write to FILE instead of standard output");
    o->context.add_options(*cmd);
    cmd->callback([o, &exit_code] { exit_code = run_export(*o); });
}

}  // namespace rewardd
