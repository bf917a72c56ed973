// The rules file `rewardd rules set FILE` reads (TOML, toml++): the whole program in one file.
// Every problem names the file, the key, its line and what was expected; nothing is half-read.
// The format is documented in docs/rules.md.
#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/rules.hpp"

namespace rewardd {

struct RulesFile {
    Rules rules;
    std::optional<Timestamp> effective_from;  // "effective_from" in the file, when given
};

// Reads and validates a rules file. Errors carry invalid_rules (or bad_config when the file
// cannot be read or parsed) and the key in `field`.
Result<RulesFile> load_rules_file(const std::string& path);

// A rules file that reads back to `rules` (what `rules show` prints).
std::string rules_file_text(const Rules& rules);

}  // namespace rewardd
