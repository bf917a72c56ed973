#include "woocommerce_refund_fetcher.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <random>

#include "adapters/woocommerce/refund_detail.hpp"
#include "core/money.hpp"
#include "outbox/woocommerce_coupon_deliverer.hpp"
#include "store/shop_registry.hpp"

namespace rewardd {

WooCommerceRefundFetcher::WooCommerceRefundFetcher(std::shared_ptr<SQLite::Database> db, WooCommerceRest rest,
                                                   RetryPolicy retry)
    : m_db(std::move(db)),
      m_refunds(*m_db),
      m_rest(std::move(rest)),
      m_retry(retry),
      m_random(std::random_device{}()) {}

std::size_t WooCommerceRefundFetcher::run_once(Timestamp now, std::size_t limit) {
    auto due = m_refunds.due(now, limit);
    if (!due) {
        spdlog::warn("refunds: cannot read wanted refunds error={}", due.error().message);
        return 0;
    }
    for (const auto& refund : *due) fetch(refund, now);
    return due->size();
}

void WooCommerceRefundFetcher::fetch(const WantedRefund& refund, Timestamp now) {
    auto shop = ShopRegistry(m_db).find(refund.shop_id);
    if (!shop) return;  // storage trouble: the next round tries again
    const auto site = *shop ? woocommerce_site(**shop) : std::nullopt;
    const auto exponent = currency_exponent(refund.currency);
    if (!site || !exponent) {
        spdlog::warn("refunds: shop={} order={} refund={} cannot be fetched ({}): weighed by its amount",
                     refund.shop_id, refund.order_id, refund.refund_id,
                     site ? "unknown currency " + refund.currency : std::string("no REST credentials"));
        resolve(refund, "unavailable", "", now);
        return;
    }
    const std::string what = "fetch refund " + refund.refund_id + " of order " + refund.order_id;
    const HttpResponse response = m_rest.get(*site, "orders/" + refund.order_id + "/refunds/" + refund.refund_id);
    if (response.error == TransportError::none && response.status == 200) {
        const auto doc = nlohmann::json::parse(response.body, nullptr, false);
        auto detail = woocommerce::read_refund_detail(doc, refund.refund_id, *exponent);
        if (!detail) {
            failed(refund, what + ": unreadable document: " + detail.error().message, false, std::nullopt, now);
            return;
        }
        resolve(refund, "known", woocommerce::refund_detail_json(*detail), now);
        spdlog::info("refunds: shop={} order={} refund={} items={} shipping_minor={} fees_minor={}", refund.shop_id,
                     refund.order_id, refund.refund_id, detail->items.size(), detail->shipping_minor,
                     detail->fees_minor);
        return;
    }
    if (response.error == TransportError::none && response.status == 404) {
        spdlog::info("refunds: shop={} order={} refund={} not in the shop: weighed by its amount", refund.shop_id,
                     refund.order_id, refund.refund_id);
        resolve(refund, "missing", "", now);
        return;
    }
    const auto outcome = classify_failure(response, what);
    failed(refund, outcome.detail, outcome.status == DeliveryStatus::retry, outcome.retry_after_ms, now);
}

void WooCommerceRefundFetcher::resolve(const WantedRefund& refund, const std::string& state,
                                       const std::string& detail, Timestamp now) {
    if (auto r = m_refunds.resolve(refund, state, detail, now); !r) {
        spdlog::warn("refunds: shop={} refund={} not recorded as {}: {}", refund.shop_id, refund.refund_id, state,
                     r.error().message);
    }
}

void WooCommerceRefundFetcher::failed(const WantedRefund& refund, const std::string& why, bool retryable,
                                      std::optional<std::int64_t> retry_after_ms, Timestamp now) {
    const int attempts = refund.attempts + 1;
    if (!retryable || attempts >= m_retry.attempts_max) {
        spdlog::error("refunds: shop={} order={} refund={} given up after {} attempt(s): {} (weighed by its amount)",
                      refund.shop_id, refund.order_id, refund.refund_id, attempts, why);
        resolve(refund, "unavailable", "", now);
        return;
    }
    const auto delay_ms = retry_delay_ms(m_retry, attempts, m_random(), retry_after_ms);
    if (auto r = m_refunds.retry_later(refund, now + (delay_ms + 999) / 1000, why, now); !r) {
        spdlog::warn("refunds: shop={} refund={} retry not recorded: {}", refund.shop_id, refund.refund_id,
                     r.error().message);
    }
    spdlog::warn("refunds: shop={} order={} refund={} attempt={} failed: {}", refund.shop_id, refund.order_id,
                 refund.refund_id, attempts, why);
}

}  // namespace rewardd
