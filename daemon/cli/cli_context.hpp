// What every data command shares: --data and --config, and opening the same database `serve`
// uses. Commands print errors on stderr and return the process exit code.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "config/config.hpp"
#include "store/sqlite_store.hpp"

namespace rewardd {

struct CliContext {
    std::string config_path;  // empty: embedded defaults
    std::string data_dir;     // empty: the config's data_dir

    // Adds --config and --data to a subcommand.
    void add_options(CLI::App& command);
    Result<Config> config() const;
    Result<std::shared_ptr<SQLite::Database>> open() const;
};

int fail(const Error& error);  // prints "rewardd: <id>: <message>" and returns 1
Timestamp now_utc();

}  // namespace rewardd
