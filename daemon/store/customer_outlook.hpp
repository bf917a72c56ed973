// Customers' expiry outlooks as their walks left them (table customer_outlooks, migration v8).
// The applier keeps one after every customer walk; explain tells it instead of reading every
// field of a long ledger and walking it again, as long as it still holds: no entry of the
// customer written since (the ledger is append-only, so its newest seq says), no rules version
// newer than the walk's, and not read at an instant before the walk's.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ledger_store.hpp"
#include "core/result.hpp"

namespace rewardd {

// The statement that keeps ?1's outlook (?2 rules version, ?3 walked at, ?4 expiring) with the
// customer's newest ledger seq as it stands in the writing transaction.
std::string keep_outlook_sql(std::string_view customer);
// "[[at,points],...]", soonest first.
std::string encode_expiring(const std::vector<ExpiringPoints>& expiring);

// What still expires after `now` by the outlook kept for `customer`, when it holds for their
// ledger as it stands (no entry since the walk) under rules up to `rules_version`; nullopt when
// none is kept or it no longer holds (the caller walks the ledger). A caller telling it beside
// entries it reads does both in one read transaction, so they are of the same ledger.
Result<std::optional<std::vector<ExpiringPoints>>> kept_expiring(SQLite::Database& db, const std::string& customer,
                                                                int rules_version, Timestamp now);

}  // namespace rewardd
