// WooCommerce refund documents fetched from the shop's REST API (table woocommerce_refunds,
// migration v10). The order webhook names each refund's total only (INTEGRATION.md W2), so a
// refund waits until its document says which products and how much shipping it gave back. Once
// resolved, a refund is kept as it was first fetched: a replay weighs it the same whatever the
// shop did since.
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/timestamp.hpp"

namespace rewardd {

struct WantedRefund {
    std::string shop_id;
    std::string order_id;
    std::string refund_id;
    std::string currency;  // the order's: the document's amounts are read in it
    int attempts = 0;
};

struct KeptRefund {
    // "wanted" (being fetched), "known", "missing" (the shop has no such refund) or "unavailable"
    // (gave up)
    std::string state;
    std::string detail;  // when known: the document as the WooCommerce adapter keeps it
    Timestamp next_try_at = 0;  // when wanted: the fetch's next try
};

class WooCommerceRefunds {
public:
    explicit WooCommerceRefunds(SQLite::Database& db) : m_db(db) {}

    // The refund as kept; nullopt when it was never asked for.
    Result<std::optional<KeptRefund>> find(const std::string& shop_id, const std::string& order_id,
                                           const std::string& refund_id);
    // Asks for the refund to be fetched (no-op when already asked for or resolved).
    Result<bool> want(const WantedRefund& refund, Timestamp now);
    // Refunds waiting to be fetched whose next try is due.
    Result<std::vector<WantedRefund>> due(Timestamp now, std::size_t limit);

    // Ends the wait of a wanted refund (state as in KeptRefund).
    Result<bool> resolve(const WantedRefund& refund, const std::string& state, const std::string& detail,
                         Timestamp now);
    Result<bool> retry_later(const WantedRefund& refund, Timestamp next_try_at, const std::string& error,
                             Timestamp now);

private:
    SQLite::Database& m_db;
};

}  // namespace rewardd
