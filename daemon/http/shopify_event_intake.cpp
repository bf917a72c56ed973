// The group write that goes with a Shopify order's events.
#include "shopify_event_intake.hpp"

#include "core/customer_key.hpp"
#include "http/inbox_event.hpp"
#include "store/shopify_customers.hpp"

namespace rewardd {
namespace {

struct KnownCustomer {
    std::string shop_id;
    std::string key;  // the ledger's customer key
    std::string shopify_id;
};

// The Shopify ids the events carry (orders' customers, customers/create), for grants and metafields.
std::vector<KnownCustomer> known_customers(const std::vector<Event>& events) {
    std::vector<KnownCustomer> out;
    for (const auto& e : events) {
        const CustomerRef* ref = e.order ? &e.order->customer : e.customer ? &*e.customer : nullptr;
        if (!ref || ref->id.empty()) continue;
        const std::string key = customer_key(e.shop_id, *ref);
        if (!key.empty()) out.push_back({e.shop_id, key, ref->id});
    }
    return out;
}

}  // namespace

shopify::MapOptions shopify_map_options(const Shop& shop) {
    const auto test_orders = shop.settings.find("test_orders");
    return {test_orders != shop.settings.end() && test_orders->second == "accept"};
}

std::future<BatchWriter::Outcome> submit_shopify_events(BatchWriter& writer, const std::vector<Event>& events,
                                                        Timestamp received_at,
                                                        std::optional<ShopifyDelivery> delivery) {
    std::vector<InboxEvent> stored;
    for (const auto& e : events) stored.push_back(to_inbox(e, received_at));
    auto customers = known_customers(events);
    // The delivery is logged in the same group commit as its events: all of it lands or none.
    // So are the customers' Shopify ids, before the applier writes entries that need them.
    auto also = [delivery = std::move(delivery), customers = std::move(customers), received_at](
                    SQLite::Database& db, StatementCache& statements) -> Result<bool> {
        if (delivery) {
            if (auto r = ShopifyDeliveryLog(db, &statements).record(*delivery); !r) return r.error();
        }
        for (const auto& c : customers) {
            auto known = ShopifyCustomers(db, &statements).remember(c.shop_id, c.key, c.shopify_id, received_at);
            if (!known) return known.error();
        }
        return true;
    };
    return writer.submit(std::move(stored), std::move(also));
}

}  // namespace rewardd
