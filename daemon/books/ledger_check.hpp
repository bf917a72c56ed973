// Reconcile, part one: the recorded ledger against a replay of the stored events. Every key
// written by one and not the other, or written with other content, is a finding naming both
// versions of the entry. Pure.
#pragma once

#include <map>
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

std::vector<Finding> compare_ledgers(const std::map<std::string, LedgerEntry>& recorded,
                                     const std::map<std::string, LedgerEntry>& replayed, const CheckScope& scope);

}  // namespace rewardd::books
