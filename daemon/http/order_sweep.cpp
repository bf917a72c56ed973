// The sweeps' schedule, shops and marks.
#include "order_sweep.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "store/order_sweeps.hpp"
#include "threads/stack_thread.hpp"

namespace rewardd {

OrderSweep::OrderSweep(const char* platform, OrderSweepOptions options, OpenDatabase open, Clock clock,
                       Sweepable sweepable, ReadAndStore read_and_store)
    : m_platform(platform),
      m_options(options),
      m_open(std::move(open)),
      m_clock(std::move(clock)),
      m_sweepable(std::move(sweepable)),
      m_read_and_store(std::move(read_and_store)) {}

OrderSweep::~OrderSweep() { stop(); }

void OrderSweep::start() {
    m_thread = std::thread([this] { run(); });
}

void OrderSweep::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

bool OrderSweep::stopping() {
    std::lock_guard lock(m_mutex);
    return m_stopping;
}

bool OrderSweep::wait(std::chrono::milliseconds delay) {
    std::unique_lock lock(m_mutex);
    return !m_cv.wait_for(lock, delay, [this] { return m_stopping; });
}

bool OrderSweep::wait_to_ask_again(int tries, std::optional<std::int64_t> retry_after_ms) {
    if (tries >= m_options.page_tries_max) return false;
    return wait(std::chrono::milliseconds(std::clamp<std::int64_t>(retry_after_ms.value_or(1000), 0, 10000)));
}

void OrderSweep::run() {
    const std::string what = std::string("the ") + m_platform + " order sweep";
    for (;;) {
        bool ok = false;
        run_on_own_thread_then_trim([&] { ok = sweep_all(); }, what.c_str());
        if (!wait(ok ? m_options.interval : std::min(m_options.retry, m_options.interval))) return;
    }
}

bool OrderSweep::sweep_all() {
    auto db = m_open();
    if (!db) {
        spdlog::warn("{}: order sweep cannot open the database error={}", m_platform, db.error().message);
        return false;
    }
    auto shops = ShopRegistry(*db).list();
    if (!shops) {
        spdlog::warn("{}: order sweep cannot list shops error={}", m_platform, shops.error().message);
        return false;
    }
    bool all_ok = true;
    for (const auto& shop : *shops) {
        if (!m_sweepable(shop)) continue;
        const bool complete = sweep_shop(**db, shop);
        if (m_metrics) m_metrics->sweeps.add({complete ? "complete" : "stopped"});
        all_ok = all_ok && complete;
    }
    return all_ok;
}

bool OrderSweep::sweep_shop(SQLite::Database& db, const Shop& shop) {
    const Timestamp started = m_clock();
    OrderSweeps sweeps(db);
    const auto mark = sweeps.swept_until(shop.id);
    if (!mark) {
        spdlog::warn("{}: order sweep cannot read its mark shop={} error={}", m_platform, shop.id,
                     mark.error().message);
        return false;
    }
    // `shop add` of a known shop (new credentials) keeps the mark; `shop remove` drops it.
    const Timestamp since = mark->value_or(shop.created_at) - m_options.overlap.count();
    SweepTally tally;
    const bool read = m_read_and_store(shop, since, tally);
    if (m_metrics) m_metrics->events_inserted.add(tally.new_events);  // those of a page before a failure too
    if (!read) return false;  // the mark stays: asked again whole
    if (const auto recorded = sweeps.record(shop.id, started); !recorded) {
        spdlog::warn("{}: order sweep cannot move its mark shop={} error={}", m_platform, shop.id,
                     recorded.error().message);
        return false;
    }
    if (tally.new_events > 0 || tally.refused > 0) {
        spdlog::info("{}: order sweep shop={} orders={} new_events={} refused={} (events no webhook brought)",
                     m_platform, shop.id, tally.orders, tally.new_events, tally.refused);
    } else {
        spdlog::debug("{}: order sweep shop={} orders={}: nothing missed", m_platform, shop.id, tally.orders);
    }
    return true;
}

}  // namespace rewardd
