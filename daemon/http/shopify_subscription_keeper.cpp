// The subscription check loop. Shops that were uninstalled are skipped (their token is dead).
#include "shopify_subscription_keeper.hpp"

#include <spdlog/spdlog.h>

#include "adapters/shopify/webhook_subscriptions.hpp"
#include "store/shop_registry.hpp"

namespace rewardd {

ShopifySubscriptionKeeper::ShopifySubscriptionKeeper(std::shared_ptr<SQLite::Database> db,
                                                     std::shared_ptr<shopify::AdminApi> api, std::string public_url,
                                                     std::chrono::milliseconds interval,
                                                     std::chrono::milliseconds retry)
    : m_db(std::move(db)),
      m_api(std::move(api)),
      m_uri(public_url.empty() ? "" : shopify::delivery_uri(public_url)),
      m_interval(interval),
      m_retry(std::min(retry, interval)) {}

ShopifySubscriptionKeeper::~ShopifySubscriptionKeeper() { stop(); }

void ShopifySubscriptionKeeper::start() {
    if (m_uri.empty()) {
        spdlog::warn("shopify: public_url is not set; webhook subscriptions are not checked");
        return;
    }
    m_thread = std::thread([this] { run(); });
}

void ShopifySubscriptionKeeper::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

bool ShopifySubscriptionKeeper::check_all() {
    auto shops = ShopRegistry(m_db).list();
    if (!shops) {
        spdlog::warn("shopify: cannot list shops for the subscription check error={}", shops.error().message);
        return false;
    }
    bool all_ok = true;
    for (const auto& shop : *shops) {
        if (shop.platform != "shopify" || !shopify::setting(shop, "uninstalled_at").empty()) continue;
        const auto report = shopify::ensure_subscriptions(m_api->graphql, shop, m_uri);
        if (!report.created.empty()) {
            spdlog::info("shopify: subscriptions re-created shop={} topics={}", shop.id, report.created.size());
        }
        if (!report.outcome.ok()) {
            all_ok = false;
            spdlog::warn("shopify: subscription check failed shop={} missing={} reason={}", shop.id,
                         report.missing.size(), report.outcome.detail);
        }
    }
    return all_ok;
}

void ShopifySubscriptionKeeper::run() {
    for (;;) {
        const bool ok = check_all();
        std::unique_lock lock(m_mutex);
        if (m_cv.wait_for(lock, ok ? m_interval : m_retry, [this] { return m_stopping; })) return;
    }
}

}  // namespace rewardd
