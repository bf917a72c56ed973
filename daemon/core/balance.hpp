// A customer's balance as the sum of their ledger entries.
#pragma once

#include <cstdint>
#include <vector>

#include "ledger_entry.hpp"

namespace rewardd {

struct Balance {
    std::int64_t available = 0;
    std::int64_t pending = 0;
    std::int64_t lifetime_earned = 0;    // points earned by orders and referrals plus positive adjustments
    std::int64_t lifetime_redeemed = 0;  // points turned into codes, net of codes released unused
    bool operator==(const Balance&) const = default;
};

void add_to_balance(Balance& balance, const LedgerEntry& entry);
Balance sum_entries(const std::vector<LedgerEntry>& entries);

}  // namespace rewardd
