// Shared CLI plumbing.
#include "cli_context.hpp"

#include <chrono>
#include <iostream>

namespace rewardd {

void CliContext::add_options(CLI::App& command) {
    command.add_option("--config", config_path, "config file (default: embedded defaults)");
    command.add_option("--data", data_dir, "data folder holding rewardd.db (default ./var)");
}

Result<Config> CliContext::config() const {
    Config config;
    if (!config_path.empty()) {
        auto loaded = load_config(config_path);
        if (!loaded) return loaded.error();
        config = *loaded;
    }
    if (!data_dir.empty()) config.data_dir = data_dir;
    return config;
}

Result<std::shared_ptr<SQLite::Database>> CliContext::open() const {
    auto cfg = config();
    if (!cfg) return cfg.error();
    return open_database({database_path(cfg->data_dir), cfg->durability});
}

int fail(const Error& error) {
    std::cerr << "rewardd: " << error_id(error.code) << ": " << error.message << "\n";
    return 1;
}

Timestamp now_utc() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace rewardd
