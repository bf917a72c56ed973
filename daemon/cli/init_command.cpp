// `rewardd init [FILE]`: writes the commented default config; never overwrites without --force.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/cli_context.hpp"
#include "cli/commands.hpp"

namespace rewardd {

void register_init(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("init", "write a commented default config file");
    auto path = std::make_shared<std::string>("rewardd.conf");
    auto force = std::make_shared<bool>(false);
    cmd->add_option("file", *path, "where to write it (default ./rewardd.conf)");
    cmd->add_flag("--force", *force, "overwrite an existing file");
    cmd->callback([path, force, &exit_code] {
        if (std::filesystem::exists(*path) && !*force) {
            exit_code = fail(make_error(ErrorCode::bad_request, *path + " exists; use --force to overwrite"));
            return;
        }
        std::ofstream out(*path);
        out << default_config_text();
        if (!out) {
            exit_code = fail(make_error(ErrorCode::bad_request, "cannot write " + *path));
            return;
        }
        std::cout << "wrote " << *path << "\n";
        exit_code = 0;
    });
}

}  // namespace rewardd
