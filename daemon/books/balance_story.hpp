// `rewardd explain`'s plain-language answer to "why do I have this balance?": one short paragraph
// per order (earned at which rate and rule version, multipliers from campaigns and tiers,
// released or still pending, each refund's share taken back, cancellation) and one line per other
// movement (adjustment, redemption, expiry, tier change), ending in the balance. Pure.
#pragma once

#include <string>
#include <vector>

#include "core/balance.hpp"
#include "core/ledger_entry.hpp"

namespace rewardd::books {

// `entries` oldest first, as the ledger holds them; `balance` their sum.
std::vector<std::string> balance_story(const std::string& who, const Balance& balance,
                                       const std::vector<LedgerEntry>& entries);

}  // namespace rewardd::books
