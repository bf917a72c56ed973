// Gathers the facts (rules, both ledgers, shops, outbox, platform listings) and runs the checks.
#include "books/reconcile.hpp"

#include "books/ledger_by_key.hpp"
#include "books/ledger_replay.hpp"
#include "books/reward_check.hpp"
#include "outbox/outbox_store.hpp"
#include "store/rule_repository.hpp"
#include "store/shopify_customers.hpp"

namespace rewardd::books {
namespace {

bool is_reward_entry(const LedgerEntry& e) {
    return e.kind == EntryKind::cashback_due || (e.kind == EntryKind::reserve && e.key.find(":redeem:") != std::string::npos);
}

// The Shopify id of every customer with a reward entry in a Shopify shop (rewards are addressed to it).
Result<bool> collect_platform_customers(SQLite::Database& db, const std::map<std::string, LedgerEntry>& ledger,
                                        RewardFacts& facts) {
    std::set<std::string> shopify_shops;
    for (const auto& shop : facts.shops) {
        if (shop.platform == "shopify") shopify_shops.insert(shop.id);
    }
    ShopifyCustomers customers(db);
    for (const auto& [key, entry] : ledger) {
        if (!shopify_shops.count(entry.shop_id) || !is_reward_entry(entry)) continue;
        const std::pair<std::string, std::string> slot{entry.shop_id, entry.customer};
        if (facts.platform_customers.count(slot)) continue;
        auto id = customers.find(entry.shop_id, entry.customer);
        if (!id) return id.error();
        facts.platform_customers[slot] = *id;
    }
    return true;
}

// Store credit is listed per customer: once for each customer with a delivered store credit grant.
std::size_t list_credits(const ReconcileRequest& request, const Shop& shop, RewardFacts& facts) {
    const auto lister = request.credit_listers.find(shop.platform);
    if (lister == request.credit_listers.end()) return 0;
    std::size_t listed_count = 0;
    auto& by_customer = facts.credits[shop.id];
    for (const auto& item : facts.outbox) {
        const auto& g = item.grant;
        if (g.shop_id != shop.id || g.kind != RewardKind::store_credit || item.status != OutboxStatus::delivered ||
            item.created_at < request.scope.since || by_customer.count(g.customer_platform_id)) {
            continue;
        }
        auto listed = lister->second(shop, g.customer_platform_id);
        if (listed) listed_count += listed->size();
        by_customer.emplace(g.customer_platform_id, std::move(listed));
    }
    return listed_count;
}

// A delivered code its shop's listing left out is read by the id its delivery recorded: older
// WooCommerce versions list no coupon in the trash, yet read one by id whatever its status.
Result<bool> find_unlisted(const ReconcileRequest& request, const Shop& shop, const RewardFacts& facts,
                           std::vector<PlatformReward>& listed) {
    const auto finder = request.finders.find(shop.platform);
    if (finder == request.finders.end()) return true;
    std::set<std::string> codes;
    for (const auto& r : listed) codes.insert(r.code);
    for (const auto& item : facts.outbox) {
        const auto& g = item.grant;
        if (g.shop_id != shop.id || g.kind != RewardKind::coupon || item.status != OutboxStatus::delivered ||
            item.created_at < request.scope.since || item.platform_ref.empty() || codes.count(g.code)) {
            continue;
        }
        auto reward = finder->second(shop, item.platform_ref);
        if (!reward) return reward.error();
        if (*reward) listed.push_back(std::move(**reward));
    }
    return true;
}

}  // namespace

Result<ReconcileReport> reconcile(std::shared_ptr<SQLite::Database> db, const ReconcileRequest& request) {
    auto rules = RuleRepository(db).load();
    if (!rules) return rules.error();
    auto now = last_applied_at(*db);
    if (!now) return now.error();
    // Both ledgers are walked side by side in key order, the recorded one from the database and
    // the replayed one from the replay's scratch database: only the entries rewards are checked on
    // are kept.
    ReconcileReport report;
    std::map<std::string, LedgerEntry> rewarding;
    auto compared = replay_ledger(*db, *rules, {*now, true}, [&](SQLite::Database& replayed) -> Result<bool> {
        RecordedByKey recorded(*db);
        LedgerByKey replayed_entries(replayed);
        report.findings = compare_ledgers([&] { return recorded.next(); }, [&] { return replayed_entries.next(); },
                                          request.scope, [&](const LedgerEntry& e) {
                                              ++report.entries_compared;
                                              if (checked_for_rewards(e)) rewarding.emplace(e.key, e);
                                          });
        return true;
    });
    if (!compared) return compared.error();

    RewardFacts facts;
    auto shops = ShopRegistry(db).list();
    if (!shops) return shops.error();
    auto outbox = OutboxStore(db).list(std::nullopt);
    if (!outbox) return outbox.error();
    facts.shops = std::move(*shops);
    facts.outbox = std::move(*outbox);
    facts.ledger = &rewarding;
    facts.cashback_platforms = request.cashback_platforms;
    facts.rules = &*rules;
    if (auto known = collect_platform_customers(*db, rewarding, facts); !known) return known.error();
    for (const auto& shop : facts.shops) {
        if (!request.scope.shop_id.empty() && shop.id != request.scope.shop_id) continue;
        report.platform_rewards_listed += list_credits(request, shop, facts);
        const auto lister = request.listers.find(shop.platform);
        if (lister == request.listers.end()) continue;
        auto listed = lister->second(shop);
        if (listed) {
            if (auto found = find_unlisted(request, shop, facts, *listed); !found) listed = found.error();
        }
        if (listed) report.platform_rewards_listed += listed->size();
        facts.platform.emplace(shop.id, std::move(listed));
    }
    report.grants_checked = facts.outbox.size();
    auto rewards = check_rewards(facts, request.scope);
    report.findings.insert(report.findings.end(), rewards.begin(), rewards.end());
    return report;
}

}  // namespace rewardd::books
