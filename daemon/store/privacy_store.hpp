// Privacy requests and their effects in the database: the durable queue of requests (Shopify's
// customers/redact, customers/data_request, shop/redact), erasure of a customer's personal data
// with ledger totals untouched, and a customer's data export. The ledger is append-only, so an
// erased customer's key is mapped to a pseudonym (erased_customers, view ledger_pseudonymous).
#pragma once

#include <SQLiteCpp/Database.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/timestamp.hpp"

namespace rewardd {

struct PrivacyRequest {
    std::int64_t id = 0;
    std::string shop_id;
    std::string topic;  // customers/redact | customers/data_request | shop/redact
    std::string webhook_id;
    std::string body;   // the request as received; blanked once carried out
    Timestamp received_at = 0;
};

// Who is meant: the shop's platform customer id and/or the e-mail (normalised).
struct PrivacyTarget {
    std::string shop_id;
    std::string customer_id;
    std::string email;
};

struct ErasureOutcome {
    std::vector<std::string> pseudonyms;  // one per erased customer key
    std::int64_t events_scrubbed = 0;
};

class PrivacyStore {
public:
    using PseudonymMaker = std::function<std::string()>;  // "erased-<random>@erased.invalid"

    explicit PrivacyStore(SQLite::Database& db) : m_db(db) {}

    Result<std::int64_t> enqueue(const PrivacyRequest& request);
    Result<std::vector<PrivacyRequest>> pending(std::size_t limit);
    Result<bool> finish(std::int64_t id, const std::string& status, const std::string& detail, Timestamp now);

    // Replaces the customer's e-mail and platform id in stored events (every shop: one person has
    // one balance), renames the customers row and records key -> pseudonym. Ledger rows stay.
    Result<ErasureOutcome> erase_customer(const PrivacyTarget& target, const std::string& reason,
                                          const PseudonymMaker& make_pseudonym, Timestamp now);
    // Erases every customer seen in this shop's events and in no other shop's.
    Result<ErasureOutcome> erase_shop_customers(const std::string& shop_id,
                                                const PseudonymMaker& make_pseudonym, Timestamp now);

    // Whether any customer record or ledger entry has one of the target's keys.
    Result<bool> knows(const PrivacyTarget& target);

    // The customer record, ledger entries and stored events naming the customer.
    Result<nlohmann::json> export_customer(const PrivacyTarget& target);

private:
    std::vector<std::string> customer_keys(const PrivacyTarget& target);
    Result<std::int64_t> scrub_events(const PrivacyTarget& target, const std::string& pseudonym);

    SQLite::Database& m_db;
};

}  // namespace rewardd
