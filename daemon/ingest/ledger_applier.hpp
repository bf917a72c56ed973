// Applies stored events to the ledger: reads the events after the apply cursor, runs the engine
// for each order they touch and writes the new entries, all in one transaction per batch, so no
// reader ever sees half of an event's entries and a crash re-applies from the cursor.
#pragma once

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
#include "ingest/referral_index.hpp"

namespace rewardd {

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
    Result<ApplyStats> apply_next(std::size_t limit, Timestamp now);
    // Releases pending points whose time has come.
    Result<ApplyStats> release_due(std::size_t limit, Timestamp now);
    // Applies everything waiting (the CLI uses this after writing an adjustment).
    Result<ApplyStats> apply_all(std::size_t batch, Timestamp now);

    // Called for every entry newly written, inside the batch's transaction (a due cashback
    // enqueues its grant beside it); an error rolls the whole batch back.
    using EntryHook = std::function<Result<bool>(const LedgerEntry& entry, Timestamp now)>;
    void set_entry_hook(EntryHook hook) { m_entry_hook = std::move(hook); }

    // Completes an order's events before the engine sees them (the product categories a platform's
    // payload lacks). Answers nullopt when the order is ready, or when to look again: the order is
    // then left unapplied until that time, its events kept.
    using OrderPreparer = std::function<Result<std::optional<Timestamp>>(std::vector<Event>& events, Timestamp now)>;
    void set_order_preparer(OrderPreparer preparer) { m_order_preparer = std::move(preparer); }

private:
    using OrderRef = std::pair<std::string, std::string>;
    Result<bool> apply_order(const OrderRef& order, Timestamp now, ApplyStats& stats);
    Result<bool> apply_other(const InboxEvent& stored, Timestamp now, ApplyStats& stats);
    Result<bool> write(const LedgerEntry& entry, Timestamp now, ApplyStats& stats);
    // The customer's own walk (tier changes, expiry, negative balances) after their entries moved.
    Result<bool> walk_customer_entries(const std::string& customer, Timestamp now, ApplyStats& stats);
    // A customer's whole ledger, read from the store once per batch and then kept current by
    // write(): every ledger write inside a batch's transaction goes through this applier.
    Result<const std::vector<LedgerEntry>*> customer_ledger(const std::string& customer);
    // Drops what was kept for the batch (after its commit or rollback).
    void forget_batch();
    // Whom a referral code names among the customers the store knows; none when unknown.
    Result<std::optional<Referrer>> resolve_referrer(const std::string& shop_id, const std::string& code);

    LedgerStore& m_store;
    std::shared_ptr<const RewardEngine> m_engine;
    EntryHook m_entry_hook;
    OrderPreparer m_order_preparer;
    ReferralIndex m_referrals;
    std::unordered_map<std::string, std::vector<LedgerEntry>> m_batch_ledgers;
    std::unordered_set<std::string> m_batch_customers;  // remembered in the customers table this batch
};

}  // namespace rewardd
