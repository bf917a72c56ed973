// Read model of one customer: identity, balance and ledger history, rendered as the stable JSON
// of `customer show --json` (EVENTS.md) and `explain --json`. Shared by the CLI and /api/v1.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "core/balance.hpp"
#include "core/ledger_store.hpp"
#include "core/lot_book.hpp"
#include "core/rules.hpp"

namespace rewardd {

struct CustomerView {
    CustomerRecord customer;
    Balance balance;
    std::vector<LedgerEntry> entries;  // oldest first
};

// CUSTOMER is an e-mail (normalised here) or an internal id; not_found when unknown.
Result<CustomerView> load_customer_view(LedgerStore& store, const std::string& query);
// The customer alone, found as load_customer_view finds them (the same not_found error).
Result<CustomerRecord> find_customer_record(LedgerStore& store, const std::string& query);

nlohmann::json entry_json(const LedgerEntry& entry);
// customer show: the newest `history_max` entries, newest first.
nlohmann::json customer_show_json(const CustomerView& view, std::size_t history_max);
// "N points expire on D": adds `expiring` ([{"points", "at"}], soonest first) and `next_expiry`
// (the first of them, or null) to a customer show document, from the customer's lot walk.
void add_expiring_json(nlohmann::json& doc, const RuleBook& rules, const CustomerView& view, Timestamp now);

// The points that will expire unless used, soonest first (the customer's walk at `now`); none
// without a rules version that turns expiry on, and then the walk is not run at all.
std::vector<ExpiringPoints> upcoming_expiries(const RuleBook& rules, const CustomerView& view, Timestamp now);
// explain: every entry with the running balance after it.
nlohmann::json explain_json(const CustomerView& view);

}  // namespace rewardd
