// rewardd's entry point: builds the command line from the command modules and runs it. Wiring only.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"rewardd: a self-hosted loyalty engine for WooCommerce and Shopify shops"};
    app.require_subcommand(1);
    int exit_code = 0;
    rewardd::register_serve(app, exit_code);
    rewardd::register_init(app, exit_code);
    rewardd::register_shop(app, exit_code);
    rewardd::register_customer(app, exit_code);
    rewardd::register_explain(app, exit_code);
    rewardd::register_adjust(app, exit_code);
    rewardd::register_export(app, exit_code);
    rewardd::register_backup(app, exit_code);
    rewardd::register_gdpr(app, exit_code);
    rewardd::register_token(app, exit_code);
    rewardd::register_outbox(app, exit_code);
    rewardd::register_redeem(app, exit_code);
    rewardd::register_rules(app, exit_code);
    rewardd::register_reconcile(app, exit_code);
    rewardd::register_simulate(app, exit_code);
    rewardd::register_import(app, exit_code);
    rewardd::register_report(app, exit_code);
    CLI11_PARSE(app, argc, argv);
    return exit_code;
}
