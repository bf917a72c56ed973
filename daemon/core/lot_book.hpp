// Lots, expiry and negative balances: one customer's available points as lots. Every inflow of
// available points (a release, a positive adjustment, a released reservation, a referral reward)
// is a lot with its own availability date and expiry; every outflow takes the oldest lots first
// (a claw-back or reversal first takes from its own order's lot). Pure; the entries are the input.
//
// Expiry (both off by default, docs/rules.md):
//   lifetime_days  a lot expires lifetime_days after it became available (the rules in force then)
//   inactive_days  every lot expires when the customer had no activity (an order paid, an
//                  adjustment, a redemption, a referral reward) for inactive_days (the rules in
//                  force at the last activity)
// An expiry is an `expire` entry keyed "<lot key>:expire" at the exact expiry instant, so the
// result does not depend on when the periodic check ran.
//
// A claw-back or reversal of an order whose lot expired takes back only what did not expire: the
// expired share is given back by an `expire` entry keyed "<claw-back key>:expired" (positive), so
// the customer's other points do not pay for points they already lost.
//
// Negative balances: when a claw-back, a reversal or a released code's commit takes available
// points the customer has already spent, the shortfall is recorded as a `negative_balance` entry
// keyed "<claw-back key>:negative":
// `carry` (zero delta: the balance stays negative and later earnings pay it off first) or
// `write_off` (the shortfall is given back, the balance returns to zero).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ledger_entry.hpp"
#include "rules.hpp"

namespace rewardd {

// "N points expire on D".
struct ExpiringPoints {
    Timestamp at = 0;
    std::int64_t points = 0;
    bool operator==(const ExpiringPoints&) const = default;
};

struct LotOutcome {
    std::vector<LedgerEntry> new_entries;
    std::vector<ExpiringPoints> upcoming;      // after `now`, soonest first
    std::optional<Timestamp> next_check_at;    // the next expiry instant, when one is scheduled
};

class LotBook {
public:
    // The entries are read in place: they must outlive the book.
    LotBook(const RuleBook& rules, std::vector<const LedgerEntry*> customer_entries);
    LotOutcome run(Timestamp now);

private:
    struct Lot {
        std::string key;
        std::string shop_id;
        std::string order_ref;  // "<shop>:order:<id>:" when the lot came from an order
        Timestamp available_at = 0;
        std::int64_t remaining = 0;
        std::int64_t expired_points = 0;  // lost to expiry and not yet taken back by a claw-back
        std::optional<Timestamp> lifetime_end;
        int lifetime_version = 0;
        bool expired = false;
    };

    void process(const LedgerEntry& entry);
    void add_lot(const LedgerEntry& entry);
    void take(const LedgerEntry& entry, std::int64_t points);
    std::int64_t take_from(Lot& lot, std::int64_t points);
    // The own order's expired points `entry` would take again, given back; returns how many.
    std::int64_t give_back_expired(const LedgerEntry& entry, std::int64_t points);
    void apply_negative_policy(const LedgerEntry& entry, std::int64_t shortfall);
    void expire_due(Timestamp t);
    void expire_lot(Lot& lot, Timestamp at, int rule_version, const std::string& reason);
    std::optional<Timestamp> inactivity_end(int* version) const;
    std::optional<Timestamp> lot_expiry(const Lot& lot) const;
    LedgerEntry commit(const LedgerEntry& candidate);  // the existing entry of that key, or the candidate (new)
    static bool live(const Lot& lot) { return !lot.expired && lot.remaining > 0; }
    // The lots still holding points, oldest first (m_live without the ones emptied since).
    const std::vector<std::size_t>& live_lots();
    // The live lot whose lifetime ends first, at or before t (the oldest of equals); none: nullptr.
    Lot* lifetime_due(Timestamp t);

    const RuleBook& m_rules;
    std::vector<const LedgerEntry*> m_entries;  // sorted by business time
    // Views of the keys of the entries, which stay where they are for the book's life.
    std::unordered_map<std::string_view, const LedgerEntry*> m_existing;
    std::unordered_set<std::string_view> m_visited;
    LotOutcome m_outcome;
    std::vector<Lot> m_lots;  // oldest first
    // Indexes into m_lots, so a walk does not pass over every lot the customer ever had for each
    // entry: a lot never holds points again once emptied or expired, so these drop them lazily.
    std::vector<std::size_t> m_live;  // lots that held points when last looked at, oldest first
    std::unordered_map<std::string_view, std::size_t> m_lot_by_key;
    std::unordered_map<std::string, std::vector<std::size_t>> m_lots_by_order;  // by order_ref
    using LifetimeEnd = std::pair<Timestamp, std::size_t>;  // (end, lot): the oldest lot first among equals
    std::priority_queue<LifetimeEnd, std::vector<LifetimeEnd>, std::greater<>> m_lifetime_ends;
    std::int64_t m_debt = 0;  // points owed from a carried negative balance
    std::optional<Timestamp> m_last_activity;
};

// Whether an entry counts as the customer's own activity (for inactivity expiry).
bool is_activity(const LedgerEntry& entry);

// An outlook a walk gave at an earlier instant, as it reads at `now` (not before that instant).
// With no entry written since, time alone only expires the lots whose instant has come (each lot
// expires on its own, and inactivity takes every lot still held), so what is still ahead is the
// same list without them.
std::vector<ExpiringPoints> expiring_after(const std::vector<ExpiringPoints>& outlook, Timestamp now);

}  // namespace rewardd
