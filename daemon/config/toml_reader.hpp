// What the config and rules readers share: an error that names the file, the key, its line and
// the problem, with the error code of the kind of file being read.
#pragma once

#include <toml++/toml.h>

#include <string>

#include "core/result.hpp"

namespace rewardd {

struct TomlReader {
    const std::string& file;
    ErrorCode code;

    Error fail(const std::string& key, const toml::node& node, const std::string& problem) const {
        return make_error(code,
                          file + ": key '" + key + "' (line " + std::to_string(node.source().begin.line) + "): " + problem,
                          key);
    }
};

}  // namespace rewardd
