// The redemption codes an order can use: `rewardd redeem` and POST /api/v1/redeem queue each code
// as an outbox grant whose id is the reservation key ("<shop>:redeem:<id>"), so the outbox is
// where a code used on the shop leads back to its reservation.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>

#include "ingest/ledger_applier.hpp"

namespace rewardd {

// "RWD": the prefix of every redemption code (grant_coupon_code).
inline constexpr const char* k_redemption_code_prefix = "RWD";

// The applier's CodeLookup on `db` (the writer's connection): codes without the "RWD-" prefix are
// answered at once as not rewardd's, others by the shop's grant that issued them.
LedgerApplier::CodeLookup outbox_code_lookup(std::shared_ptr<SQLite::Database> db);

}  // namespace rewardd
