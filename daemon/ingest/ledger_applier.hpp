// Applies stored events to the ledger: reads the events after the apply cursor, runs the engine
// for each order they touch and writes the new entries, all in one transaction per batch, so no
// reader ever sees half of an event's entries and a crash re-applies from the cursor.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/ledger_store.hpp"
#include "core/reward_engine.hpp"
#include "core/tier_timeline.hpp"
#include "ingest/kept_by_use.hpp"
#include "ingest/referral_index.hpp"

namespace rewardd {

// A rewardd redemption code as issued: whose reservation it holds and until when. Found by the
// code an order used (CodeLookup), since a code cannot be turned back into its redemption id.
struct IssuedCode {
    std::string redemption_id;
    std::string customer;
    std::optional<Timestamp> expires_at;  // none: the code never expires, its points stay reserved
};

// The wake-up that releases a code's reservation when it expires unused (set by whoever issues
// the code, in the same transaction as its reserve entry).
Wakeup code_expiry_wakeup(const std::string& shop_id, const std::string& code, Timestamp expires_at);

// The order in which a batch's events meet the ledger. It shows in the points: under tiers an order
// earns at the tier its customer's orders already in the ledger give, and a referral code is
// resolved among the customers known by then (a registration later in the batch does not count).
enum class BatchOrder {
    // As they arrived, each order once, at its first event in the batch (with all of its events
    // stored by then): a customer's orders of one batch meet the ledger in the order they came, as
    // in batches of one. (An order with several events in the batch is applied at the first only,
    // so a fact of another order arriving between them is met later than in batches of one.)
    arrival,
    // Before schema v9: the order-less events (registrations, adjustments) first, then the orders by
    // shop and order id as text ("1000" before "999").
    order_id,
};

struct ApplyStats {
    std::size_t events = 0;
    std::size_t entries_written = 0;
    std::size_t conflicts = 0;
};

class LedgerApplier {
public:
    LedgerApplier(LedgerStore& store, std::shared_ptr<const RewardEngine> engine)
        : m_store(store), m_engine(std::move(engine)) {}

    // Applies up to `limit` events past the cursor. events == 0 means nothing was waiting.
    // Each call is its own transaction: the ledgers kept between calls assume that a call that
    // returned without error has committed (so never call it inside a caller's transaction).
    Result<ApplyStats> apply_next(std::size_t limit, Timestamp now);
    // Releases pending points whose time has come.
    Result<ApplyStats> release_due(std::size_t limit, Timestamp now);
    // Applies everything waiting (the CLI uses this after writing an adjustment).
    Result<ApplyStats> apply_all(std::size_t batch, Timestamp now);
    // Only a replay of batches that an older rewardd applied sets anything but `arrival`.
    void set_batch_order(BatchOrder order) { m_batch_order = order; }

    // Called for every entry newly written, inside the batch's transaction (a due cashback
    // enqueues its grant beside it); an error rolls the whole batch back.
    using EntryHook = std::function<Result<bool>(const LedgerEntry& entry, Timestamp now)>;
    void set_entry_hook(EntryHook hook) { m_entry_hook = std::move(hook); }

    // Completes an order's events before the engine sees them (the product categories, the refunds'
    // lines a platform's payload lacks). Answers nullopt when the order is ready, or when to look
    // again: the order is then left unapplied until the soonest such time, its events kept. Every
    // preparer runs on every order, so each asks for what it lacks at once.
    using OrderPreparer = std::function<Result<std::optional<Timestamp>>(std::vector<Event>& events, Timestamp now)>;
    void add_order_preparer(OrderPreparer preparer) { m_order_preparers.push_back(std::move(preparer)); }

    // Finds the redemption behind a code an order used (nullopt: not a code rewardd issued). Without
    // it orders' codes are ignored and code expiry wake-ups are dropped (a replay takes the
    // recorded commits and releases as they are).
    using CodeLookup = std::function<Result<std::optional<IssuedCode>>(const std::string& shop_id,
                                                                       const std::string& code)>;
    void set_code_lookup(CodeLookup lookup) { m_code_lookup = std::move(lookup); }

    // Customers' ledgers are kept between batches up to this many entries in all (0: read every
    // ledger once per batch). About half a kilobyte each: some 25 MB at most by default.
    static constexpr std::size_t k_kept_entries_default = 50000;
    // Orders' entries are kept beside them, fewer: an order is applied again within a few batches
    // of its first apply, and keeping finished orders only made the heap churn.
    static constexpr std::size_t k_kept_order_entries_max = 8192;
    void set_kept_entries_max(std::size_t entries) {
        m_ledgers.set_budget(entries);
        m_order_entries.set_budget(std::min(entries, k_kept_order_entries_max));
    }
    // Parsed stored events are kept between batches up to this many (0: parse at every apply):
    // an order is applied again in each batch that brings one of its events, and reads all of
    // them each time. A few kilobytes each with the body they came from: some 30 MB at most.
    static constexpr std::size_t k_kept_events_default = 8192;
    // Gives back the memory of all that is kept between batches (ledgers, orders' entries, parsed
    // events, the referral codes' index), so that a burst of orders does not leave tens of
    // megabytes resident for good: the writer calls it once the daemon has gone idle. The next
    // batch reads what it needs again. The index matters beyond its size: its entries are made
    // one customer at a time across a burst, so a few bytes each kept a page each resident.
    void shed_kept();
    std::size_t kept_count() const {
        return m_ledgers.size() + m_order_entries.size() + m_parsed.size() + m_referrals.size();
    }
    void set_kept_events_max(std::size_t events) { m_parsed.set_budget(events); }

private:
    using OrderRef = std::pair<std::string, std::string>;
    Result<bool> apply_order(const OrderRef& order, Timestamp now, ApplyStats& stats);
    Result<bool> apply_other(const InboxEvent& stored, Timestamp now, ApplyStats& stats);
    Result<bool> write(const LedgerEntry& entry, Timestamp now, ApplyStats& stats);
    // The customer's own walk (tier changes, expiry, negative balances) after their entries moved.
    Result<bool> walk_customer_entries(const std::string& customer, Timestamp now, ApplyStats& stats);
    // A customer's whole ledger, read from the store once and then kept current by write(): every
    // ledger write inside the applier's transactions goes through it. Kept between batches while
    // the store's ledger mark says nobody else wrote (see in_batch).
    Result<const std::vector<LedgerEntry>*> customer_ledger(const std::string& customer);
    // An order's entries (its customer's, and a referrer's its referral rewarded), read from the
    // store once and then kept the same way as the ledgers, and dropped with them.
    Result<const std::vector<LedgerEntry>*> order_entries(const OrderRef& order);
    // Runs one batch's work in a write transaction: the kept ledgers are dropped first when the
    // ledger moved since the last batch committed (another connection's commit, or an entry
    // appended outside the applier, such as a redemption's reserve), and after a rollback.
    Result<bool> in_batch(const std::function<Result<bool>()>& work);
    // Drops what was kept for the batch only (the customers remembered).
    void forget_batch();
    void drop_kept_ledgers();
    // The stored events of an order, parsed (unreadable ones logged and left out).
    std::vector<Event> parse_order_events(const std::vector<InboxEvent>& stored);
    // Commits the reservations of the redemption codes the order was paid with; adds the customers
    // it wrote for to `to_walk`.
    Result<bool> commit_used_codes(const std::vector<Event>& events, Timestamp now, ApplyStats& stats,
                                   std::set<std::string>& to_walk);
    // A code's expiry wake-up: releases its reservation unless an order used it.
    Result<bool> release_expired_code(const Wakeup& wakeup, Timestamp now, ApplyStats& stats);
    // Whom a referral code names among the customers the store knows; none when unknown.
    Result<std::optional<Referrer>> resolve_referrer(const std::string& shop_id, const std::string& code);

    LedgerStore& m_store;
    std::shared_ptr<const RewardEngine> m_engine;
    EntryHook m_entry_hook;
    std::vector<OrderPreparer> m_order_preparers;
    CodeLookup m_code_lookup;
    ReferralIndex m_referrals;
    BatchOrder m_batch_order = BatchOrder::arrival;
    // What a kept ledger counts toward the budget: its entries, and one for itself, so customers
    // with empty ledgers (orders still waiting) do not pile up uncounted.
    struct LedgerCost {
        std::size_t operator()(const std::vector<LedgerEntry>& entries) const { return entries.size() + 1; }
    };
    KeptByUse<std::string, std::vector<LedgerEntry>, LedgerCost> m_ledgers{k_kept_entries_default};
    struct OrderRefHash {
        std::size_t operator()(const OrderRef& order) const {
            return std::hash<std::string>{}(order.first) * 31 + std::hash<std::string>{}(order.second);
        }
    };
    KeptByUse<OrderRef, std::vector<LedgerEntry>, LedgerCost, OrderRefHash> m_order_entries{k_kept_order_entries_max};
    // A stored event's parse, kept by seq with the body it came from: used only while the stored
    // body is still that one (a privacy erasure rewrites bodies in place), so it needs no mark.
    struct ParsedEvent {
        std::string body;
        std::optional<Event> event;
        std::string error;  // why it could not be read, when it could not
    };
    struct OneEach {
        std::size_t operator()(const ParsedEvent&) const { return 1; }
    };
    KeptByUse<std::int64_t, ParsedEvent, OneEach> m_parsed{k_kept_events_default};
    std::uint64_t m_batch_number = 0;
    std::optional<LedgerMark> m_ledgers_mark;  // the store's mark when m_ledgers was last current
    std::unordered_set<std::string> m_batch_customers;  // remembered in the customers table this batch
};

}  // namespace rewardd
