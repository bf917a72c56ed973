// explain's own read of a customer's ledger: only the columns the story tells, the text of all of
// them kept in a few large blocks. Reading full LedgerEntry rows (17 fields, a string each) was
// about half of explain's time, most of it the first touch of their memory.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <string>
#include <vector>

#include "books/balance_story.hpp"
#include "core/balance.hpp"
#include "core/result.hpp"

namespace rewardd::books {

struct StoryLedger {
    std::vector<StoryEntry> entries;  // oldest first; their text lives in `text`
    Balance balance;                  // available and pending (the lifetime figures are not summed)
    std::string tier = "none";        // as recorded_tier() reads it: the latest tier change's target
    std::vector<std::unique_ptr<char[]>> text;
};

// The customer's entries by internal key (CustomerRecord::key), in ledger order.
Result<StoryLedger> read_story_ledger(SQLite::Database& db, const std::string& customer);

}  // namespace rewardd::books
