// Rule versions kept in the database, so every ledger entry's rule_version can be looked up later
// and replay uses the rules that were in force, not today's.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <string>

#include "core/result.hpp"
#include "core/rules.hpp"

namespace rewardd {

std::string rules_to_json(const Rules& rules);
Result<Rules> rules_from_json(const std::string& text);

class RuleRepository {
public:
    explicit RuleRepository(std::shared_ptr<SQLite::Database> db) : m_db(std::move(db)) {}

    Result<RuleBook> load();
    // Records `rules` as a new version effective from `effective_from` unless it equals the latest
    // version's content; returns the version in force.
    Result<int> ensure(Rules rules, Timestamp effective_from, Timestamp now);

private:
    std::shared_ptr<SQLite::Database> m_db;
};

}  // namespace rewardd
