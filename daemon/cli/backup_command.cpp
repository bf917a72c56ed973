// `rewardd backup FILE` (online, safe while the daemon runs) and `rewardd restore FILE`
// (refused while a daemon runs on the data folder).
#include <iostream>

#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "store/backup.hpp"

namespace rewardd {
namespace {

struct BackupOptions {
    CliContext context;
    std::string file;
};

void print_summary(const char* verb, const std::string& file, const BackupSummary& s) {
    std::cout << verb << " " << file << ": schema v" << s.schema_version << ", " << s.events << " events, "
              << s.ledger_entries << " ledger entries\n";
}

int run_backup(const BackupOptions& o) {
    auto db = o.context.open();
    if (!db) return fail(db.error());
    auto summary = backup_database(**db, o.file);
    if (!summary) return fail(summary.error());
    print_summary("backed up to", o.file, *summary);
    return 0;
}

int run_restore(const BackupOptions& o) {
    auto config = o.context.config();
    if (!config) return fail(config.error());
    auto summary = restore_database(o.file, config->data_dir);
    if (!summary) return fail(summary.error());
    print_summary("restored from", o.file, *summary);
    return 0;
}

}  // namespace

void register_backup(CLI::App& app, int& exit_code) {
    auto backup = std::make_shared<BackupOptions>();
    auto* b = app.add_subcommand("backup", "consistent copy of the database, safe while the daemon runs");
    b->add_option("file", backup->file, "the new backup file")->required();
    backup->context.add_options(*b);
    b->callback([backup, &exit_code] { exit_code = run_backup(*backup); });

    auto restore = std::make_shared<BackupOptions>();
    auto* r = app.add_subcommand("restore", "replace the database with a backup (the daemon must be stopped)");
    r->add_option("file", restore->file, "a file made by rewardd backup")->required();
    restore->context.add_options(*r);
    r->callback([restore, &exit_code] { exit_code = run_restore(*restore); });
}

}  // namespace rewardd
