// The engine's one narrow need from storage: an inbox of stored events, the append-only ledger,
// and the few facts beside them (apply cursor, release wake-ups, customers). Implemented by the
// SQLite store and the in-memory store; one contract test suite runs against both.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ledger_entry.hpp"
#include "lot_book.hpp"
#include "result.hpp"
#include "timestamp.hpp"

namespace rewardd {

struct InboxEvent {
    std::int64_t seq = 0;  // assigned by the store, increasing
    std::string shop_id;
    std::string event_id;  // unique per shop
    std::string type;
    std::string order_id;  // empty for non-order events
    Timestamp occurred_at = 0;
    Timestamp received_at = 0;
    std::string body;      // the canonical event JSON
};

enum class Appended { inserted, duplicate };

struct Wakeup {
    std::string shop_id;
    std::string order_id;
    Timestamp due_at = 0;
};

struct CustomerRecord {
    std::int64_t id = 0;
    std::string key;
    std::string email;
    Timestamp first_seen_at = 0;
    // Keys erased into this one (an erasure renames the record to its pseudonym): the referral
    // codes shared before the erasure were made from them and still name this customer.
    std::vector<std::string> former_keys;
};

enum class EntryWrite { inserted, existed, conflict };

// Where the ledger stands, as far as a connection can tell cheaply: the last entry's seq (the
// ledger is append-only, so any append moves it) and how many commits other connections made
// (any change at all from outside). Equal marks: nothing was written since but by this connection.
struct LedgerMark {
    std::int64_t last_entry_seq = 0;
    std::int64_t outside_commits = 0;
    bool operator==(const LedgerMark&) const = default;
};

// A customer's expiry outlook as their own walk left it (core/customer_walk), kept beside the
// ledger so a reader need not walk a long ledger again to tell it (store/customer_outlook).
struct ExpiryOutlook {
    std::vector<ExpiringPoints> expiring;  // soonest first
    Timestamp walked_at = 0;
    int rules_version = 0;  // the newest rules version the walk knew
};

class LedgerStore {
public:
    virtual ~LedgerStore() = default;

    // Appends a batch of events in one durable transaction; a (shop, event id) already stored is
    // reported as a duplicate and left as it was.
    virtual Result<std::vector<Appended>> append_events(const std::vector<InboxEvent>& batch) = 0;
    virtual Result<std::vector<InboxEvent>> events_after(std::int64_t seq, std::size_t limit) = 0;
    virtual Result<std::vector<InboxEvent>> order_events(const std::string& shop_id,
                                                         const std::string& order_id) = 0;
    virtual Result<std::int64_t> event_count() = 0;

    // Runs `work` in one write transaction: everything it writes lands together or not at all.
    virtual Result<bool> write_transaction(const std::function<Result<bool>()>& work) = 0;

    // Same key and content: existed; same key, other content: conflict (nothing written).
    virtual Result<EntryWrite> append_entry(const LedgerEntry& entry, Timestamp recorded_at) = 0;
    virtual Result<std::vector<LedgerEntry>> order_entries(const std::string& shop_id,
                                                           const std::string& order_id) = 0;
    virtual Result<std::vector<LedgerEntry>> customer_entries(const std::string& customer) = 0;
    virtual Result<std::vector<LedgerEntry>> all_entries() = 0;
    // nullopt: the store cannot tell, so a caller keeps nothing it read beyond its transaction.
    virtual Result<std::optional<LedgerMark>> ledger_mark() { return std::optional<LedgerMark>{}; }

    virtual Result<std::int64_t> applied_cursor() = 0;
    // Moves the cursor to `seq`, past a batch applied at `applied_at`. Each move forward is kept,
    // so a replay can apply the same batches at the same times; a move to where it is changes nothing.
    virtual Result<bool> set_applied_cursor(std::int64_t seq, Timestamp applied_at) = 0;

    // Keeps `customer`'s outlook for their ledger as it stands now, replacing the one kept before.
    // A store that keeps none ignores it (readers then walk the ledger).
    virtual Result<bool> keep_outlook(const std::string& /*customer*/, const ExpiryOutlook& /*outlook*/) {
        return true;
    }

    virtual Result<bool> set_wakeup(const Wakeup& wakeup) = 0;   // replaces the order's wake-up
    virtual Result<bool> clear_wakeup(const std::string& shop_id, const std::string& order_id) = 0;
    virtual Result<std::vector<Wakeup>> due_wakeups(Timestamp now, std::size_t limit) = 0;

    virtual Result<CustomerRecord> remember_customer(const std::string& key, const std::string& email,
                                                     Timestamp seen_at) = 0;
    // By internal id ("42") or by key / e-mail (normalised by the caller).
    virtual Result<std::optional<CustomerRecord>> find_customer(const std::string& query) = 0;
    // Customers with an id above `after_id`, by id: the ones a referral index has not seen yet
    // (ids only grow, so an index catches up without reading everyone again).
    virtual Result<std::vector<CustomerRecord>> customers_after(std::int64_t after_id) = 0;
};

}  // namespace rewardd
