// rewardd's entry point: builds the command line from the command modules and runs it. Wiring only.
#include <CLI/CLI.hpp>

#include <string_view>

#include "cli/commands.hpp"

namespace {

using Register = void (*)(CLI::App&, int&);
struct Command {
    std::string_view name;
    Register add;
};
// In the order `rewardd --help` lists them; backup registers both backup and restore.
constexpr Command k_commands[] = {
    {"serve", rewardd::register_serve},         {"init", rewardd::register_init},
    {"shop", rewardd::register_shop},           {"customer", rewardd::register_customer},
    {"explain", rewardd::register_explain},     {"adjust", rewardd::register_adjust},
    {"export", rewardd::register_export},       {"backup", rewardd::register_backup},
    {"restore", rewardd::register_backup},      {"gdpr", rewardd::register_gdpr},
    {"token", rewardd::register_token},         {"outbox", rewardd::register_outbox},
    {"redeem", rewardd::register_redeem},       {"rules", rewardd::register_rules},
    {"reconcile", rewardd::register_reconcile}, {"simulate", rewardd::register_simulate},
    {"import", rewardd::register_import},       {"report", rewardd::register_report},
};

// The command a run names (argv[1]), if it is one. Building every command's options for every
// run cost short commands such as explain about a millisecond of a start-up that counts.
Register named_command(int argc, char** argv) {
    if (argc < 2) return nullptr;
    for (const auto& c : k_commands) {
        if (c.name == argv[1]) return c.add;
    }
    return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"rewardd: a self-hosted loyalty engine for WooCommerce and Shopify shops"};
    app.require_subcommand(1);
    int exit_code = 0;
    if (const Register named = named_command(argc, argv)) {
        named(app, exit_code);
    } else {  // --help, no command or a mistyped one: every command, as before
        Register done = nullptr;
        for (const auto& c : k_commands) {
            if (c.add != done) c.add(app, exit_code);
            done = c.add;
        }
    }
    CLI11_PARSE(app, argc, argv);
    return exit_code;
}
