// One row of the append-only ledger. Balances are sums of entries: each entry moves points into
// or out of the customer's pending and available buckets. A correction is a new entry naming the
// one it corrects (refers_to); nothing is ever changed in place.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "money.hpp"
#include "timestamp.hpp"

namespace rewardd {

enum class EntryKind {
    earn_pending,  // points earned by an order line, held until released
    release,       // pending points of an order become available
    claw_back,     // a partial refund takes back its share
    reverse,       // a cancellation or full refund takes back what is left of the award
    adjust,        // a manual adjustment with its reason
    cashback,          // cashback earned by an order, held like its points (base_minor = amount)
    cashback_due,      // the order's pending period is over: the cashback awaits issue
    cashback_reverse,  // cancellation or full refund before release takes the cashback back
    tier_change,       // the customer's tier changed (no points; the inputs in rate and reason)
    expire,            // points expired (lot lifetime or inactivity)
    negative_balance,  // clawed-back points were already spent: the shop's policy, applied
    referral_reward,   // referral: welcome reward (referee) or referrer reward (held, then released)
    referral_refused,  // a referral that was refused, with the reason (no points)
    reserve,           // points held for an issued redemption code
    reserve_release,   // the code expired unused: the held points come back
    redeem_commit,     // an order used the code: the reservation becomes a spend (no delta)
};

const char* entry_kind_id(EntryKind kind);
std::optional<EntryKind> parse_entry_kind(std::string_view id);

struct LedgerEntry {
    std::string key;         // deterministic idempotency key from the business fact
    std::string customer;    // customer key (normalised e-mail or shop-scoped id)
    std::string shop_id;
    std::string order_id;    // empty for adjustments
    EntryKind kind = EntryKind::adjust;
    std::int64_t pending_delta = 0;
    std::int64_t available_delta = 0;
    int rule_version = 0;    // 0 where no rule was involved (manual adjustment)
    std::string line_id;     // the order line, for per-line earnings and claw-backs
    std::int64_t base_minor = 0;  // the amount the points were computed from
    std::string currency;
    std::string rate;        // e.g. "1 per 1.00 NOK", or the refunded share "19900/39800"
    Rounding rounding = Rounding::floor;
    std::string event_id;    // the stored event that caused it
    Timestamp effective_at = 0;
    std::string refers_to;   // key of the entry this one corrects, if any
    std::string reason;

    bool operator==(const LedgerEntry&) const = default;
};

// A stable text of every field, for the content hash that detects same-key-different-content.
std::string entry_fingerprint(const LedgerEntry& entry);

}  // namespace rewardd

namespace rewardd {
// 64-bit FNV-1a of the fingerprint, hex: stored beside each row to compare content cheaply.
std::string entry_content_hash(const LedgerEntry& entry);
}  // namespace rewardd
