// Rule versions kept in the database, so every ledger entry's rule_version can be looked up later
// and replay uses the rules that were in force, not today's. A version is never changed: a new
// rules file or config is a new version with its own effective_from.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/rules.hpp"

namespace rewardd {

// The whole program as JSON (the rule_versions.body column). Reading tolerates keys missing from
// bodies written by older versions: they take their defaults.
std::string rules_to_json(const Rules& rules, const std::string& source = "config");
Result<Rules> rules_from_json(const std::string& text);

struct RuleVersion {
    Rules rules;                 // version and effective_from filled in
    Timestamp created_at = 0;
    std::string source;          // "config" (the config file's [rules]) or "file:<path>" (rules set)
};

class RuleRepository {
public:
    explicit RuleRepository(std::shared_ptr<SQLite::Database> db) : m_db(std::move(db)) {}

    Result<RuleBook> load();
    Result<std::vector<RuleVersion>> history();
    // The config's [rules]: recorded as a new version only when they differ from the last version
    // that came from the config, so a later `rules set` is not undone by a restart. Returns the
    // latest version number.
    Result<int> ensure(Rules rules, Timestamp effective_from, Timestamp now);
    // `rules set`: a new version from `effective_from` unless the latest already has this content
    // (then its number is returned unchanged). effective_from may not precede the latest version's.
    Result<int> add(Rules rules, Timestamp effective_from, Timestamp now, const std::string& source);

private:
    Result<int> insert(const Rules& rules, Timestamp effective_from, Timestamp now, const std::string& source);
    std::shared_ptr<SQLite::Database> m_db;
};

}  // namespace rewardd
