// `rewardd explain`'s plain-language answer to "why do I have this balance?": one short paragraph
// per order (earned at which rate and rule version, multipliers from campaigns and tiers,
// released or still pending, each refund's share taken back, cancellation) and one line per other
// movement (adjustment, redemption, expiry, tier change), ending in the balance. Pure.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/balance.hpp"
#include "core/ledger_entry.hpp"
#include "core/lot_book.hpp"

namespace rewardd::books {

// Receives the story one line at a time (without its newline), in order.
using StoryLine = std::function<void(const std::string&)>;

// What the story reads of an entry. The text points into storage the caller keeps alive: a long
// ledger told from a StoryEntry list holds about a third of the memory of its LedgerEntry list.
struct StoryEntry {
    EntryKind kind = EntryKind::adjust;
    std::int64_t pending_delta = 0;
    std::int64_t available_delta = 0;
    std::int64_t base_minor = 0;
    int rule_version = 0;
    bool corrects = false;  // refers_to is not empty
    Timestamp effective_at = 0;
    std::string_view shop_id, order_id, line_id, currency, rate, reason;
};
StoryEntry story_entry(const LedgerEntry& entry);  // points into `entry`

// `entries` oldest first, as the ledger holds them; `balance` their sum. Each line goes to `emit`
// as it is told, so a long ledger's story (megabytes) never has to be held whole.
void tell_balance_story(const std::string& who, const Balance& balance, const std::vector<StoryEntry>& entries,
                        const StoryLine& emit);
void tell_balance_story(const std::string& who, const Balance& balance, const std::vector<LedgerEntry>& entries,
                        const StoryLine& emit);
// The same story as a list of lines.
std::vector<std::string> balance_story(const std::string& who, const Balance& balance,
                                       const std::vector<LedgerEntry>& entries);

// What comes next, after the story: the tier the customer holds now and the points that will
// expire unless used, soonest first ("120 points expire on 2026-12-31T00:00:00Z").
std::vector<std::string> balance_outlook(const std::string& tier, const std::vector<ExpiringPoints>& expiring);

}  // namespace rewardd::books
