// Fetches the refund documents orders wait for, from the shop's REST API
// (GET /wp-json/wc/v3/orders/<id>/refunds/<refund_id>, INTEGRATION.md W3.4). It has no thread of
// its own: the outbox worker runs it between deliveries (both talk to the same shops).
// 429, 5xx and transport failures retry with the outbox's backoff (Retry-After honoured); a 404
// resolves the refund as "missing", any other refusal (401, 403...) and the outbox's attempts_max
// as "unavailable": the refund is then weighed by its amount rather than never.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <random>

#include "outbox/retry_policy.hpp"
#include "outbox/woocommerce_rest.hpp"
#include "store/woocommerce_refunds.hpp"

namespace rewardd {

class WooCommerceRefundFetcher {
public:
    WooCommerceRefundFetcher(std::shared_ptr<SQLite::Database> db, WooCommerceRest rest, RetryPolicy retry);

    // Fetches up to `limit` refunds due at `now`; returns how many were tried.
    std::size_t run_once(Timestamp now, std::size_t limit = 16);

private:
    void fetch(const WantedRefund& refund, Timestamp now);
    void resolve(const WantedRefund& refund, const std::string& state, const std::string& detail, Timestamp now);
    void failed(const WantedRefund& refund, const std::string& why, bool retryable,
                std::optional<std::int64_t> retry_after_ms, Timestamp now);

    std::shared_ptr<SQLite::Database> m_db;
    WooCommerceRefunds m_refunds;
    WooCommerceRest m_rest;
    RetryPolicy m_retry;
    std::minstd_rand m_random;  // the backoff's jitter
};

}  // namespace rewardd
