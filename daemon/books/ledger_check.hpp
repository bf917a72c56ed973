// Reconcile, part one: the recorded ledger against a replay of the stored events. Every key
// written by one and not the other, or written with other content, is a finding naming both
// versions of the entry. Pure.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "books/finding.hpp"
#include "core/ledger_entry.hpp"
#include "core/timestamp.hpp"

namespace rewardd::books {

struct CheckScope {
    std::string shop_id;  // empty: every shop
    Timestamp since = 0;  // only entries effective from then on
};

nlohmann::json entry_summary(const LedgerEntry& entry);

// The next entry of a ledger in key order; nullopt once it is done.
using NextEntry = std::function<std::optional<LedgerEntry>()>;

// Walks both ledgers side by side in key order, holding neither: each replayed key missing from
// the ledger or recorded with other content, then each recorded key no event calls for, each in
// key order. `seen` is shown every recorded entry (reconcile keeps the ones rewards are checked on).
std::vector<Finding> compare_ledgers(const NextEntry& recorded, const NextEntry& replayed, const CheckScope& scope,
                                     const std::function<void(const LedgerEntry& recorded)>& seen);

}  // namespace rewardd::books
