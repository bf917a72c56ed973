// The WooCommerce sweep: pages, orders.
#include "woocommerce_order_sweeper.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "adapters/woocommerce/order_listing.hpp"
#include "adapters/woocommerce/webhook_mapper.hpp"
#include "http/inbox_event.hpp"
#include "http/woocommerce_webhook.hpp"
#include "outbox/woocommerce_coupon_deliverer.hpp"

namespace rewardd {

WooCommerceOrderSweeper::WooCommerceOrderSweeper(OrderSweep::OpenDatabase open, WooCommerceRest rest,
                                                 BatchWriter& writer, BatchWriter::Clock clock,
                                                 OrderSweepOptions options)
    : m_rest(std::move(rest)),
      m_writer(writer),
      m_clock(clock),
      m_sweep("woocommerce", options, std::move(open), std::move(clock),
              [](const Shop& shop) {
                  return shop.platform == "woocommerce" && woocommerce_site(shop).has_value();  // no key: no asking
              },
              [this](const Shop& shop, Timestamp since, SweepTally& tally) {
                  return read_and_store(shop, since, tally);
              }) {}

// The REST list of orders modified since then, page by page (numbered) until a short one, the last
// by X-WP-TotalPages, or one reaching orders modified before `since`.
bool WooCommerceOrderSweeper::read_and_store(const Shop& shop, Timestamp since, SweepTally& tally) {
    const WooCommerceSite site = *woocommerce_site(shop);
    for (int number = 1;; ++number) {
        if (m_sweep.stopping()) return false;  // the mark stays; the next start sweeps again
        Page page;
        if (!read_page(shop, site, since, number, page)) return false;
        if (!store_page(shop, page, tally)) return false;
        if (page.last) return true;
    }
}

// A page answered 429, 5xx or not at all is asked again (OrderSweep::wait_to_ask_again); any other
// refusal (401: the key was revoked) stops the sweep. An order modified before `since` is one a shop
// that ignores `modified_after` listed: it is left out (it predates what this sweep looks for, and
// orders from before the shop was added never earn), and since the newest come first, the pages
// after it hold only older ones.
bool WooCommerceOrderSweeper::read_page(const Shop& shop, const WooCommerceSite& site, Timestamp since, int number,
                                        Page& page) {
    const std::string what = "list orders page " + std::to_string(number);
    for (int tries = 1;; ++tries) {
        const HttpResponse response =
            m_rest.get(site, "orders", woocommerce::orders_modified_since_query(since, number));
        if (response.error == TransportError::none && response.status == 200) {
            auto orders = woocommerce::read_order_page(response.body);
            if (!orders) {
                spdlog::warn("woocommerce: order sweep stopped shop={} {}: {}", shop.id, what, orders.error().message);
                return false;
            }
            const std::string pages = response.header("x-wp-totalpages");
            page.last = orders->size() < static_cast<std::size_t>(woocommerce::k_order_page_size) ||
                        (!pages.empty() && number >= std::atoi(pages.c_str()));
            for (auto& order : *orders) {
                const auto modified = woocommerce::order_modified_at(order);
                if (modified && *modified < since) page.last = true;
                else page.orders.push_back(std::move(order));
            }
            return true;
        }
        const auto outcome = classify_failure(response, what);
        if (outcome.status != DeliveryStatus::retry || !m_sweep.wait_to_ask_again(tries, outcome.retry_after_ms)) {
            spdlog::warn("woocommerce: order sweep stopped shop={} reason={}", shop.id, outcome.detail);
            return false;
        }
    }
}

// A page's events go in one group commit; an order the mapper refuses is left out (its webhook
// would have been answered 400 too) and logged, and does not hold up the others.
bool WooCommerceOrderSweeper::store_page(const Shop& shop, const Page& page, SweepTally& tally) {
    const auto statuses = woocommerce_status_map(shop);
    std::vector<InboxEvent> events;
    const Timestamp received_at = m_clock();
    for (const auto& order : page.orders) {
        ++tally.orders;
        auto snapshot = woocommerce::read_order(order);
        if (!snapshot) {
            ++tally.refused;
            spdlog::warn("woocommerce: order sweep skips order {} shop={} field={} error={}",
                         order.is_object() ? order.value("id", nlohmann::json()).dump() : "?", shop.id,
                         snapshot.error().field, snapshot.error().message);
            continue;
        }
        for (const auto& e : woocommerce::order_events(*snapshot, shop.id, statuses)) {
            events.push_back(to_inbox(e, received_at));
        }
    }
    if (events.empty()) return true;
    const auto outcome = m_writer.submit(std::move(events)).get();
    if (!outcome) {
        spdlog::warn("woocommerce: order sweep cannot store shop={} error={}", shop.id, outcome.error().message);
        return false;
    }
    const auto inserted = static_cast<std::size_t>(std::count(outcome->begin(), outcome->end(), Appended::inserted));
    tally.new_events += inserted;
    return true;
}

}  // namespace rewardd
