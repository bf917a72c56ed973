// An erased customer's ledger. Ledger rows are append-only, so an erasure leaves them under the
// customer's old key and maps that key to a pseudonym (erased_customers); entries written after
// it carry the pseudonym itself. Both are one customer's books, read and shown under the pseudonym.
#pragma once

#include <string>
#include <string_view>

#include "core/ledger_entry.hpp"

namespace rewardd {

// Whether `key` has the shape of an erasure's pseudonym ("erased-…@erased.invalid", or
// "erased+N-…" for a person's second key): only such keys can have rows under an old key.
bool may_be_erasure_alias(std::string_view key);

// Whether `email` is an erasure's pseudonym itself: every one ends in "@erased.invalid"
// (net/pseudonym), and no real address can, .invalid being reserved (RFC 2606). A real
// customer's address may well start with "erased".
bool is_erasure_pseudonym(std::string_view email);

// SQL condition on the ledger for the rows of customer ?1: under an erasure's pseudonym, those
// of the keys erased into it too.
const char* customer_rows_sql(std::string_view customer);

// Whether an e-mail may start at `at`, inside the segment of `text` that starts at `segment`, after
// a '-': only in an import id ("import-<source>-<e-mail>", books/balance_import), the '-' joining
// source and e-mail. Nowhere else: "jo-ann@…" does not name "ann@…".
bool opens_import_email(std::string_view text, std::size_t segment, std::size_t at);

// `text` with each whole segment `customer` (after the start or a ':', or the '-' before the
// e-mail of an import id; up to the end or a ':') replaced by `alias`: "tier:<e-mail>:<time>",
// "<shop>:referral:<e-mail>:welcome", "import-<source>-<e-mail>". A longer address that ends the
// same ("jo-ann@…" for "ann@…") is left alone outside import ids.
void replace_customer_segment(std::string& text, const std::string& customer, const std::string& alias);

// `customer`'s old key shown as `alias` inside the entry's key, refers_to and event id, whoever
// the entry belongs to: an imported balance's event id names its customer.
void show_names_under_alias(LedgerEntry& e, const std::string& customer, const std::string& alias);

// A referrer's referral entry keyed by an erased referee, shown as written after the erasure: the
// referee's pseudonym in its key and references, and masked in its reason ("referred p***@…").
void show_referee_under_alias(LedgerEntry& e, const std::string& referee, const std::string& alias);

// The entry as written under its old key `e.customer`, shown under `alias`: the customer column
// and the old key inside the entry's key, refers_to and event id.
void show_under_alias(LedgerEntry& e, const std::string& alias);

}  // namespace rewardd
