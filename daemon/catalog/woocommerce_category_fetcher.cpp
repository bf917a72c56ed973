#include "woocommerce_category_fetcher.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <random>

#include "outbox/woocommerce_coupon_deliverer.hpp"
#include "store/shop_registry.hpp"

namespace rewardd {

std::optional<std::vector<std::string>> read_product_categories(const std::string& body) {
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    if (!doc.is_object() || !doc.contains("id")) return std::nullopt;
    std::vector<std::string> slugs;
    const auto it = doc.find("categories");
    if (it == doc.end() || !it->is_array()) return slugs;
    for (const auto& c : *it) {
        if (c.is_object() && c.contains("slug") && c["slug"].is_string()) slugs.push_back(c["slug"].get<std::string>());
    }
    return slugs;
}

WooCommerceCategoryFetcher::WooCommerceCategoryFetcher(std::shared_ptr<SQLite::Database> db, WooCommerceRest rest,
                                                       RetryPolicy retry, std::chrono::milliseconds poll_interval,
                                                       Clock clock)
    : m_db(std::move(db)),
      m_catalog(*m_db),
      m_rest(std::move(rest)),
      m_retry(retry),
      m_poll_interval(poll_interval),
      m_clock(std::move(clock)) {}

WooCommerceCategoryFetcher::~WooCommerceCategoryFetcher() { stop(); }

void WooCommerceCategoryFetcher::start() {
    m_thread = std::thread([this] { run(); });
}

void WooCommerceCategoryFetcher::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void WooCommerceCategoryFetcher::run() {
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        lock.unlock();
        run_once(m_clock());
        lock.lock();
        m_cv.wait_for(lock, m_poll_interval, [this] { return m_stopping; });
    }
}

std::size_t WooCommerceCategoryFetcher::run_once(Timestamp now) {
    auto due = m_catalog.due(now, 16);
    if (!due) {
        spdlog::warn("catalog: cannot read wanted products error={}", due.error().message);
        return 0;
    }
    for (const auto& product : *due) fetch(product, now);
    return due->size();
}

void WooCommerceCategoryFetcher::fetch(const WantedProduct& product, Timestamp now) {
    auto shop = ShopRegistry(m_db).find(product.shop_id);
    if (!shop) return;  // storage trouble: the next round tries again
    const auto site = *shop ? woocommerce_site(**shop) : std::nullopt;
    if (!site) {
        spdlog::warn("catalog: shop={} has no REST credentials: product={} earns without categories",
                     product.shop_id, product.product_id);
        m_catalog.resolve(product.shop_id, product.product_id, "unavailable", {}, now);
        return;
    }
    const HttpResponse response = m_rest.get(*site, "products/" + product.product_id);
    if (response.error == TransportError::none && response.status == 200) {
        if (const auto slugs = read_product_categories(response.body)) {
            m_catalog.resolve(product.shop_id, product.product_id, "known", *slugs, now);
            spdlog::info("catalog: shop={} product={} categories={}", product.shop_id, product.product_id,
                         nlohmann::json(*slugs).dump());
            return;
        }
    }
    if (response.error == TransportError::none && response.status == 404) {
        m_catalog.resolve(product.shop_id, product.product_id, "missing", {}, now);
        spdlog::info("catalog: shop={} product={} not in the shop: no categories", product.shop_id, product.product_id);
        return;
    }
    const auto outcome = classify_failure(response, "fetch product " + product.product_id);
    const int attempts = product.attempts + 1;
    if (attempts >= m_retry.attempts_max) {
        m_catalog.resolve(product.shop_id, product.product_id, "unavailable", {}, now);
        spdlog::error("catalog: shop={} product={} given up after {} attempts: {}", product.shop_id,
                      product.product_id, attempts, outcome.detail);
        return;
    }
    // Small: static thread-local storage is set up for every thread the daemon starts.
    thread_local std::minstd_rand random{std::random_device{}()};
    const auto delay_ms = retry_delay_ms(m_retry, attempts, random(), outcome.retry_after_ms);
    m_catalog.retry_later(product, now + (delay_ms + 999) / 1000, outcome.detail, now);
    spdlog::warn("catalog: shop={} product={} attempt={} failed: {}", product.shop_id, product.product_id, attempts,
                 outcome.detail);
}

}  // namespace rewardd
