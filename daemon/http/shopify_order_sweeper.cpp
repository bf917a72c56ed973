// The Shopify sweep: pages, orders.
#include "shopify_order_sweeper.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "http/shopify_event_intake.hpp"

namespace rewardd {
namespace {

bool sweepable(const Shop& shop) {
    return shop.platform == "shopify" && shopify::setting(shop, "uninstalled_at").empty() &&
           shopify::credential_kind(shop) != shopify::CredentialKind::none;
}

}  // namespace

ShopifyOrderSweeper::ShopifyOrderSweeper(OrderSweep::OpenDatabase open, std::shared_ptr<shopify::AdminApi> api,
                                         BatchWriter& writer, BatchWriter::Clock clock, OrderSweepOptions options)
    : m_api(std::move(api)),
      m_writer(writer),
      m_clock(clock),
      m_lister(*m_api->http, m_api->tokens, m_api->graphql.options(),
               [this](std::int64_t ms) { m_sweep.wait(std::chrono::milliseconds(ms)); }),
      m_sweep("shopify", options, std::move(open), std::move(clock), sweepable,
              [this](const Shop& shop, Timestamp since, SweepTally& tally) {
                  return read_and_store(shop, since, tally);
              }) {}

// The REST list of orders updated since then, page by page along the Link header's rel="next".
bool ShopifyOrderSweeper::read_and_store(const Shop& shop, Timestamp since, SweepTally& tally) {
    std::string url = shopify::orders_updated_since_url(shop, m_api->graphql.options().api_version, since);
    while (!url.empty()) {
        if (m_sweep.stopping()) return false;  // the mark stays; the next start sweeps again
        shopify::OrderPage page;
        if (const auto read = read_page(shop, url, page); !read.ok()) {
            spdlog::warn("shopify: order sweep stopped shop={} status={} reason={}", shop.id,
                         shopify::call_status_id(read.status), read.detail);
            return false;
        }
        if (!store_page(shop, page, tally)) return false;
        url = page.next_url;
    }
    return true;
}

shopify::CallOutcome ShopifyOrderSweeper::read_page(const Shop& shop, const std::string& url,
                                                    shopify::OrderPage& page) {
    for (int tries = 1;; ++tries) {
        auto outcome = m_lister.page(shop, url, page);
        if (outcome.status != shopify::CallStatus::retry || !m_sweep.wait_to_ask_again(tries, outcome.retry_after_ms)) {
            return outcome;
        }
    }
}

// A page's events go in one group commit; an order the mapper refuses is left out (its webhook
// would have been answered 400 too) and logged, and does not hold up the others.
bool ShopifyOrderSweeper::store_page(const Shop& shop, const shopify::OrderPage& page, SweepTally& tally) {
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
    return true;
}

}  // namespace rewardd
