#include "category_preparer.hpp"

#include <algorithm>

#include "store/product_catalog.hpp"
#include "store/shop_registry.hpp"

namespace rewardd {
namespace {

bool line_needs_categories(const OrderLine& line) {
    return line.categories.empty() && !line.product_id.empty() && line.product_id != "0";
}

}  // namespace

bool rules_use_categories(const RuleBook& rules) {
    return std::any_of(rules.versions().begin(), rules.versions().end(), [](const Rules& r) {
        return !r.category_multipliers.empty() || !r.cashback.category_bp.empty() ||
               std::any_of(r.campaigns.begin(), r.campaigns.end(), [](const Campaign& c) { return !c.category.empty(); });
    });
}

LedgerApplier::OrderPreparer make_category_preparer(std::shared_ptr<SQLite::Database> db,
                                                    CategoryPreparerOptions options) {
    auto platforms = std::make_shared<ShopPlatforms>(db);
    return [db, options, platforms](std::vector<Event>& events, Timestamp now) -> Result<std::optional<Timestamp>> {
        ProductCatalog catalog(*db);
        bool waiting = false;
        for (auto& event : events) {
            if (!event.order) continue;
            auto platform = platforms->platform(event.shop_id);
            if (!platform) return platform.error();
            // An unknown shop's events are not this step's concern.
            if (!*platform || !options.platforms.count(**platform)) continue;
            for (auto& line : event.order->lines) {
                if (!line_needs_categories(line)) continue;
                auto categories = catalog.categories(event.shop_id, line.product_id);
                if (!categories) return categories.error();
                if (*categories) {
                    line.categories = std::move(**categories);
                    continue;
                }
                if (!options.wait_for_unknown) continue;
                if (auto r = catalog.want(event.shop_id, line.product_id, now); !r) return r.error();
                waiting = true;
            }
        }
        if (waiting) return std::optional<Timestamp>{now + options.recheck_after_s};
        return std::optional<Timestamp>{};
    };
}

}  // namespace rewardd
