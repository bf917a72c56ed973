// Order lines get their product categories from the catalogue before the engine sees them, for
// shops whose platform sends none (WooCommerce: INTEGRATION.md W2). An order waits while one of
// its products is still being fetched, but only when some rule version looks at categories:
// otherwise categories change nothing and no order waits for them.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <set>
#include <string>

#include "core/rules.hpp"
#include "ingest/ledger_applier.hpp"

namespace rewardd {

bool rules_use_categories(const RuleBook& rules);

struct CategoryPreparerOptions {
    std::set<std::string> platforms{"woocommerce"};  // shops of these platforms are completed
    Timestamp recheck_after_s = 2;                   // how soon a waiting order looks again
    bool wait_for_unknown = true;  // false: a product not in the catalogue earns without categories
};

// Runs on the writer thread, on the writer's connection (inside its transaction).
LedgerApplier::OrderPreparer make_category_preparer(std::shared_ptr<SQLite::Database> db,
                                                    CategoryPreparerOptions options = {});

}  // namespace rewardd
