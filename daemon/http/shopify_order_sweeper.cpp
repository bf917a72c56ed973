// The sweep loop: shops, pages, orders, the mark.
#include "shopify_order_sweeper.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "http/shopify_event_intake.hpp"
#include "threads/stack_thread.hpp"
#include "store/shop_registry.hpp"
#include "store/shopify_order_sweeps.hpp"

namespace rewardd {
namespace {

bool sweepable(const Shop& shop) {
    return shop.platform == "shopify" && shopify::setting(shop, "uninstalled_at").empty() &&
           shopify::credential_kind(shop) != shopify::CredentialKind::none;
}

}  // namespace

ShopifyOrderSweeper::ShopifyOrderSweeper(OpenDatabase open, std::shared_ptr<shopify::AdminApi> api,
                                         BatchWriter& writer, BatchWriter::Clock clock, OrderSweepOptions options)
    : m_open(std::move(open)),
      m_api(std::move(api)),
      m_writer(writer),
      m_clock(std::move(clock)),
      m_options(options),
      m_lister(*m_api->http, m_api->tokens, m_api->graphql.options(),
               [this](std::int64_t ms) { wait(std::chrono::milliseconds(ms)); }) {}

ShopifyOrderSweeper::~ShopifyOrderSweeper() { stop(); }

void ShopifyOrderSweeper::start() {
    m_thread = std::thread([this] { run(); });
}

void ShopifyOrderSweeper::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

bool ShopifyOrderSweeper::stopping() {
    std::lock_guard lock(m_mutex);
    return m_stopping;
}

bool ShopifyOrderSweeper::wait(std::chrono::milliseconds delay) {
    std::unique_lock lock(m_mutex);
    return !m_cv.wait_for(lock, delay, [this] { return m_stopping; });
}

// Each sweep runs on a thread of its own (threads/stack_thread.hpp): the pages it parsed leave nothing
// behind in an idle daemon.
bool ShopifyOrderSweeper::sweep_on_own_thread() {
    bool ok = false;
    run_on_own_thread_then_trim([&] { ok = sweep_all(); }, "the Shopify order sweep");
    return ok;
}

void ShopifyOrderSweeper::run() {
    for (;;) {
        const bool ok = sweep_on_own_thread();
        if (!wait(ok ? m_options.interval : std::min(m_options.retry, m_options.interval))) return;
    }
}

bool ShopifyOrderSweeper::sweep_all() {
    auto db = m_open();
    if (!db) {
        spdlog::warn("shopify: order sweep cannot open the database error={}", db.error().message);
        return false;
    }
    auto shops = ShopRegistry(*db).list();
    if (!shops) {
        spdlog::warn("shopify: order sweep cannot list shops error={}", shops.error().message);
        return false;
    }
    bool all_ok = true;
    for (const auto& shop : *shops) {
        if (!sweepable(shop)) continue;
        const bool complete = sweep_shop(**db, shop);
        if (m_metrics) m_metrics->sweeps.add({complete ? "complete" : "stopped"});
        all_ok = all_ok && complete;
    }
    return all_ok;
}

bool ShopifyOrderSweeper::sweep_shop(SQLite::Database& db, const Shop& shop) {
    const Timestamp started = m_clock();
    ShopifyOrderSweeps sweeps(db);
    const auto mark = sweeps.swept_until(shop.id);
    if (!mark) {
        spdlog::warn("shopify: order sweep cannot read its mark shop={} error={}", shop.id, mark.error().message);
        return false;
    }
    // `shop add` of a known shop (new credentials) keeps the mark; `shop remove` drops it.
    const Timestamp since = mark->value_or(shop.created_at) - m_options.overlap.count();
    std::string url = shopify::orders_updated_since_url(shop, m_api->graphql.options().api_version, since);
    Tally tally;
    while (!url.empty()) {
        if (stopping()) return false;  // the mark stays; the next start sweeps again
        shopify::OrderPage page;
        if (const auto read = read_page(shop, url, page); !read.ok()) {
            spdlog::warn("shopify: order sweep stopped shop={} status={} reason={}", shop.id,
                         shopify::call_status_id(read.status), read.detail);
            return false;
        }
        if (!store_page(shop, page, tally)) return false;
        url = page.next_url;
    }
    if (const auto recorded = sweeps.record(shop.id, started); !recorded) {
        spdlog::warn("shopify: order sweep cannot move its mark shop={} error={}", shop.id, recorded.error().message);
        return false;
    }
    if (tally.new_events > 0 || tally.refused > 0) {
        spdlog::info("shopify: order sweep shop={} orders={} new_events={} refused={} (events no webhook brought)",
                     shop.id, tally.orders, tally.new_events, tally.refused);
    } else {
        spdlog::debug("shopify: order sweep shop={} orders={}: nothing missed", shop.id, tally.orders);
    }
    return true;
}

shopify::CallOutcome ShopifyOrderSweeper::read_page(const Shop& shop, const std::string& url,
                                                    shopify::OrderPage& page) {
    for (int tries = 1;; ++tries) {
        auto outcome = m_lister.page(shop, url, page);
        if (outcome.status != shopify::CallStatus::retry || tries >= m_options.page_tries_max) return outcome;
        const auto delay_ms = std::clamp<std::int64_t>(outcome.retry_after_ms.value_or(1000), 0, 10000);
        if (!wait(std::chrono::milliseconds(delay_ms))) return outcome;
    }
}

// A page's events go in one group commit; an order the mapper refuses is left out (its webhook
// would have been answered 400 too) and logged, and does not hold up the others.
bool ShopifyOrderSweeper::store_page(const Shop& shop, const shopify::OrderPage& page, Tally& tally) {
    std::vector<Event> events;
    for (const auto& order : page.orders) {
        ++tally.orders;
        auto plan = shopify::plan_order(order, shop.id, shopify_map_options(shop));
        if (!plan) {
            ++tally.refused;
            spdlog::warn("shopify: order sweep skips order {} shop={} field={} error={}",
                         order.is_object() ? order.value("id", nlohmann::json()).dump() : "?", shop.id,
                         plan.error().field, plan.error().message);
            continue;
        }
        if (plan->action != shopify::Action::store_events) continue;
        std::move(plan->events.begin(), plan->events.end(), std::back_inserter(events));
    }
    if (events.empty()) return true;
    const auto outcome = submit_shopify_events(m_writer, events, m_clock(), std::nullopt).get();
    if (!outcome) {
        spdlog::warn("shopify: order sweep cannot store shop={} error={}", shop.id, outcome.error().message);
        return false;
    }
    const auto inserted = static_cast<std::size_t>(std::count(outcome->begin(), outcome->end(), Appended::inserted));
    tally.new_events += inserted;
    if (m_metrics) m_metrics->events_inserted.add(inserted);
    return true;
}

}  // namespace rewardd
