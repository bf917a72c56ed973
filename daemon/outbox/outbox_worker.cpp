// The delivery loop. Only this thread changes pending items' state (the CLI only requeues parked
// ones), so an item is never attempted twice at once.
#include "outbox_worker.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <random>

#include "store/shop_registry.hpp"

namespace rewardd {

std::int64_t unix_ms_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

OutboxWorker::OutboxWorker(std::shared_ptr<SQLite::Database> db, OutboxOptions options, MsClock clock)
    : m_db(db), m_store(db), m_options(options), m_clock(std::move(clock)) {}

OutboxWorker::~OutboxWorker() { stop(); }

void OutboxWorker::add_deliverer(std::unique_ptr<RewardDeliverer> deliverer) {
    const std::string platform = deliverer->platform();
    m_deliverers[platform] = std::move(deliverer);
}

void OutboxWorker::start() { m_thread = std::thread([this] { run(); }); }

void OutboxWorker::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void OutboxWorker::wake() {
    {
        std::lock_guard lock(m_mutex);
        m_woken = true;
    }
    m_cv.notify_all();
}

void OutboxWorker::run() {
    spdlog::info("outbox: worker started deliverers={}", m_deliverers.size());
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            if (m_stopping) return;
        }
        const std::size_t attempted = run_once(m_clock());
        bool side_work_left = false;
        for (const auto& task : m_side_tasks) side_work_left = task(m_clock()) || side_work_left;
        std::unique_lock lock(m_mutex);
        if (m_stopping) return;
        if (attempted < m_options.batch_max && !side_work_left) {
            m_cv.wait_for(lock, std::chrono::milliseconds(m_options.poll_interval_ms),
                          [this] { return m_stopping || m_woken; });
        }
        m_woken = false;
    }
}

std::size_t OutboxWorker::run_once(std::int64_t now_ms) {
    auto due = m_store.due(now_ms, m_options.batch_max);
    if (!due) {
        spdlog::warn("outbox: reading due items failed error={}", due.error().message);
        return 0;
    }
    for (const auto& item : *due) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping) return 0;
        }
        attempt(item, m_clock());
    }
    return due->size();
}

void OutboxWorker::attempt(const OutboxItem& item, std::int64_t now_ms) {
    const Timestamp now = now_ms / 1000;
    const auto& grant = item.grant;
    auto shop = ShopRegistry(m_db).find(grant.shop_id);
    if (!shop) {
        spdlog::warn("outbox: shop lookup failed id={} error={}", item.id, shop.error().message);
        return;  // the database is unwell; the item stays due
    }
    DeliveryOutcome outcome;
    if (!shop->has_value()) {
        outcome = DeliveryOutcome::permanent("unknown_shop: shop " + grant.shop_id + " is not registered");
    } else if (auto d = m_deliverers.find((*shop)->platform); d == m_deliverers.end()) {
        outcome = DeliveryOutcome::permanent("no deliverer for platform " + (*shop)->platform);
    } else {
        outcome = d->second->deliver(**shop, grant);
    }
    const int attempts = item.attempts + 1;
    const bool parks = outcome.status == DeliveryStatus::permanent || attempts >= m_options.retry.attempts_max;
    if (m_metrics) {
        const char* result = outcome.status == DeliveryStatus::delivered ? "delivered" : parks ? "parked" : "retry";
        m_metrics->attempts.add({shop->has_value() ? (*shop)->platform : "unknown", result});
    }
    Result<bool> written = true;
    if (outcome.status == DeliveryStatus::delivered) {
        spdlog::info("outbox: delivered id={} grant={} shop={} ref={}", item.id, grant.grant_id,
                     grant.shop_id, outcome.detail);
        written = m_store.mark_delivered(item.id, outcome.detail, now);
    } else if (parks) {
        const std::string why = outcome.status == DeliveryStatus::permanent
                                    ? outcome.detail
                                    : "gave up after " + std::to_string(attempts) + " attempts: " + outcome.detail;
        spdlog::error("outbox: parked id={} grant={} shop={} reason={}", item.id, grant.grant_id,
                      grant.shop_id, why);
        written = m_store.park(item.id, why, now);
    } else {
        // Small: static thread-local storage is set up for every thread the daemon starts.
        thread_local std::minstd_rand random{std::random_device{}()};
        const auto delay = retry_delay_ms(m_options.retry, attempts, random(), outcome.retry_after_ms);
        spdlog::warn("outbox: attempt failed, retrying id={} grant={} attempt={} in_ms={} reason={}", item.id,
                     grant.grant_id, attempts, delay, outcome.detail);
        written = m_store.mark_retry(item.id, now_ms + delay, outcome.detail, now);
    }
    if (!written) spdlog::error("outbox: recording outcome failed id={} error={}", item.id, written.error().message);
}

}  // namespace rewardd
