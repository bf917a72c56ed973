#include "refund_line_preparer.hpp"

#include <spdlog/spdlog.h>

#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "adapters/woocommerce/refund_detail.hpp"
#include "outbox/woocommerce_rest.hpp"
#include "store/database.hpp"
#include "store/shop_registry.hpp"
#include "store/woocommerce_refunds.hpp"

namespace rewardd {
namespace {

// Refunds WooCommerce keeps have numeric ids; "status-refunded" (an order marked refunded beyond
// its refunds) is rewardd's own and has no document.
bool has_document(const Refund& refund) {
    return !refund.id.empty() &&
           std::all_of(refund.id.begin(), refund.id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_guest(const Order& order) { return order.customer.id.empty() && order.customer.email.empty(); }

// Whether the ledger holds an entry the refund's event caused (each entry names its event).
Result<bool> refund_on_ledger(SQLite::Database& db, const Event& event) {
    try {
        SQLite::Statement q(db, "SELECT 1 FROM ledger WHERE shop_id = ? AND order_id = ? AND event_id = ? LIMIT 1");
        q.bind(1, event.shop_id);
        q.bind(2, event.order->id);
        q.bind(3, event.id);
        return q.executeStep();
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

class RefundLinePreparer {
public:
    RefundLinePreparer(std::shared_ptr<SQLite::Database> db, RefundLinePreparerOptions options)
        : m_db(db), m_platforms(std::move(db)), m_options(options) {}

    Result<std::optional<Timestamp>> operator()(std::vector<Event>& events, Timestamp now) {
        std::optional<Timestamp> look_again;
        for (auto& event : events) {
            if (event.type != EventType::order_refunded || !event.refund || !event.order) continue;
            if (!event.refund->lines.empty() || !has_document(*event.refund)) continue;
            auto platform = m_platforms.platform(event.shop_id);
            if (!platform) return platform.error();
            if (*platform != "woocommerce") continue;
            auto wait = prepare(event, now);
            if (!wait) return wait.error();
            if (*wait && (!look_again || **wait < *look_again)) look_again = *wait;
        }
        return look_again;
    }

private:
    // Fills in the refund's lines when its document is known; else when the order is to look again,
    // if it must wait for the document. While a fetch fails, that is just after its next try rather
    // than every few seconds: an order waiting out a shop's long outage would otherwise keep the
    // writer committing (and never idle).
    Result<std::optional<Timestamp>> prepare(Event& event, Timestamp now) {
        constexpr std::optional<Timestamp> ready;
        WooCommerceRefunds refunds(*m_db);
        const Order& order = *event.order;
        auto kept = refunds.find(event.shop_id, order.id, event.refund->id);
        if (!kept) return kept.error();
        if (*kept) {
            if ((*kept)->state == "wanted") {
                if (!m_options.wait_while_fetched) return ready;
                return std::optional<Timestamp>{std::max(now, (*kept)->next_try_at) + m_options.recheck_after_s};
            }
            if ((*kept)->state != "known") return ready;  // weighed by its amount
            const auto detail = woocommerce::parse_refund_detail_json((*kept)->detail);
            if (!detail) {
                spdlog::error("refunds: shop={} order={} refund={} kept document unreadable: weighed by its amount",
                              event.shop_id, order.id, event.refund->id);
                return ready;
            }
            event.refund = woocommerce::with_refund_detail(*event.refund, *detail, order);
            return ready;
        }
        if (!m_options.ask_for_documents || is_guest(order)) return ready;
        auto recorded = refund_on_ledger(*m_db, event);
        if (!recorded) return recorded.error();
        if (*recorded) return ready;
        auto shop = ShopRegistry(m_db).find(event.shop_id);
        if (!shop) return shop.error();
        if (!*shop || !woocommerce_site(**shop)) return ready;  // no credentials: nothing can fetch it
        if (auto r = refunds.want({event.shop_id, order.id, event.refund->id, order.currency, 0}, now); !r) {
            return r.error();
        }
        return std::optional<Timestamp>{now + m_options.recheck_after_s};
    }

    std::shared_ptr<SQLite::Database> m_db;
    ShopPlatforms m_platforms;
    RefundLinePreparerOptions m_options;
};

}  // namespace

LedgerApplier::OrderPreparer make_refund_line_preparer(std::shared_ptr<SQLite::Database> db,
                                                       RefundLinePreparerOptions options) {
    auto preparer = std::make_shared<RefundLinePreparer>(std::move(db), options);
    return [preparer](std::vector<Event>& events, Timestamp now) { return (*preparer)(events, now); };
}

}  // namespace rewardd
