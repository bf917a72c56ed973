// `rewardd reconcile` without the command line: replay against the ledger, then the issued
// rewards against the outbox and each platform (through the listers given, one per platform), and
// the safe repairs of `--fix`. The database is only read unless repairs are applied.
#pragma once

#include <SQLiteCpp/Database.h>

#include <map>
#include <memory>
#include <set>

#include "books/finding.hpp"
#include "books/ledger_check.hpp"
#include "books/platform_reward.hpp"

namespace rewardd::books {

struct ReconcileRequest {
    CheckScope scope;
    std::map<std::string, RewardLister> listers;  // by platform ("woocommerce", "shopify")
    std::map<std::string, RewardFinder> finders;  // by platform: delivered codes a listing left out
    std::map<std::string, CreditLister> credit_listers;  // by platform ("shopify")
    std::set<std::string> cashback_platforms{"woocommerce", "shopify"};  // as `serve` wires the cashback hook
};

struct ReconcileReport {
    std::vector<Finding> findings;
    std::size_t entries_compared = 0;
    std::size_t grants_checked = 0;
    std::size_t platform_rewards_listed = 0;  // codes and store credit transactions
};

Result<ReconcileReport> reconcile(std::shared_ptr<SQLite::Database> db, const ReconcileRequest& request);

// Applies the repair of every fixable finding, each in its own transaction; returns one line per
// repair saying what was done (or why it could not be).
std::vector<std::string> apply_repairs(std::shared_ptr<SQLite::Database> db, const std::vector<Finding>& findings,
                                       Timestamp now);

}  // namespace rewardd::books
