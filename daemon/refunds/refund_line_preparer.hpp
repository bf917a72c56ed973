// WooCommerce refunds get their lines and shipping from the shop's refund document before the
// engine weighs them: the order webhook names only each refund's total (INTEGRATION.md W2, W3.4),
// and weighed by amount alone a refund of shipping, or of one product, would take points from every
// line. An order waits while one of its refunds is being fetched. It does not wait for a refund of
// a guest's order (it took no points), for a shop without REST credentials (nothing can fetch it),
// or for a refund the ledger already took back by amount (that stays as it was written).
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>

#include "ingest/ledger_applier.hpp"

namespace rewardd {

struct RefundLinePreparerOptions {
    // How soon a waiting order looks again: after the refund was asked for, or after its fetch's
    // next try.
    Timestamp recheck_after_s = 2;
    // false (a replay): a refund never asked for is weighed by its amount, as the daemon weighed
    // it; nothing new is asked for.
    bool ask_for_documents = true;
    // false (a simulation): a refund whose document is still being fetched is weighed by its
    // amount instead of holding its order back.
    bool wait_while_fetched = true;
};

// Runs on the writer thread, on the writer's connection (inside its transaction).
LedgerApplier::OrderPreparer make_refund_line_preparer(std::shared_ptr<SQLite::Database> db,
                                                       RefundLinePreparerOptions options = {});

}  // namespace rewardd
