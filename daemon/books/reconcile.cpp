// Gathers the facts (rules, both ledgers, shops, outbox, platform listings) and runs the checks.
#include "books/reconcile.hpp"

#include "books/ledger_replay.hpp"
#include "books/reward_check.hpp"
#include "outbox/outbox_store.hpp"
#include "store/rule_repository.hpp"

namespace rewardd::books {

Result<ReconcileReport> reconcile(std::shared_ptr<SQLite::Database> db, const ReconcileRequest& request) {
    auto rules = RuleRepository(db).load();
    if (!rules) return rules.error();
    auto now = last_applied_at(*db);
    if (!now) return now.error();
    auto replayed = replay_ledger(*db, *rules, {*now, true});
    if (!replayed) return replayed.error();
    auto recorded = recorded_ledger(*db);
    if (!recorded) return recorded.error();
    ReconcileReport report;
    report.findings = compare_ledgers(*recorded, *replayed, request.scope);
    report.entries_compared = recorded->size();

    RewardFacts facts;
    auto shops = ShopRegistry(db).list();
    if (!shops) return shops.error();
    auto outbox = OutboxStore(db).list(std::nullopt);
    if (!outbox) return outbox.error();
    facts.shops = std::move(*shops);
    facts.outbox = std::move(*outbox);
    facts.ledger = &*recorded;
    facts.cashback_platforms = request.cashback_platforms;
    for (const auto& shop : facts.shops) {
        const auto lister = request.listers.find(shop.platform);
        if (lister == request.listers.end()) continue;
        if (!request.scope.shop_id.empty() && shop.id != request.scope.shop_id) continue;
        auto listed = lister->second(shop);
        if (listed) report.platform_rewards_listed += listed->size();
        facts.platform.emplace(shop.id, std::move(listed));
    }
    report.grants_checked = facts.outbox.size();
    auto rewards = check_rewards(facts, request.scope);
    report.findings.insert(report.findings.end(), rewards.begin(), rewards.end());
    return report;
}

}  // namespace rewardd::books
