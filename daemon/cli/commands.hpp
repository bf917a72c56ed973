// One registration function per command; each lives in its own file.
#pragma once

#include <CLI/CLI.hpp>

namespace rewardd {

// Each registers its subcommand on `app` and sets `exit_code` when it runs.
void register_serve(CLI::App& app, int& exit_code);
void register_init(CLI::App& app, int& exit_code);
void register_shop(CLI::App& app, int& exit_code);
void register_customer(CLI::App& app, int& exit_code);
void register_explain(CLI::App& app, int& exit_code);
void register_adjust(CLI::App& app, int& exit_code);
void register_export(CLI::App& app, int& exit_code);
void register_backup(CLI::App& app, int& exit_code);
void register_gdpr(CLI::App& app, int& exit_code);
void register_token(CLI::App& app, int& exit_code);
void register_outbox(CLI::App& app, int& exit_code);
void register_redeem(CLI::App& app, int& exit_code);
void register_rules(CLI::App& app, int& exit_code);
void register_reconcile(CLI::App& app, int& exit_code);
void register_simulate(CLI::App& app, int& exit_code);
void register_import(CLI::App& app, int& exit_code);
void register_report(CLI::App& app, int& exit_code);

}  // namespace rewardd
