// Reconcile, part two: issued rewards against the outbox and the platforms. Every reward entry in
// the ledger has its outbox grant; every delivered code exists on its platform with the grant's
// amount, customer restriction and single use; every delivered store credit is on the customer's
// account with the grant's amount; every rewardd-like code on a platform is ours; a code the
// platform saw used is committed in the ledger. Pure: the caller lists the platforms.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "books/finding.hpp"
#include "books/ledger_check.hpp"
#include "books/platform_reward.hpp"
#include "core/rules.hpp"
#include "outbox/reward_deliverer.hpp"

namespace rewardd::books {

struct RewardFacts {
    std::vector<Shop> shops;
    std::vector<OutboxItem> outbox;
    // The recorded entries rewards are checked on (checked_for_rewards), by key.
    const std::map<std::string, LedgerEntry>* ledger = nullptr;
    std::map<std::string, Result<std::vector<PlatformReward>>> platform;  // by shop id; absent: not listed
    std::set<std::string> cashback_platforms;  // platforms whose due cashback is issued as a reward
    // Shopify shops: (shop id, customer) -> the customer's Shopify id, for the customers of reward
    // entries; a customer without one gets no grant there (the writer skips them too).
    std::map<std::pair<std::string, std::string>, std::string> platform_customers;
    // Store credit listed per shop id and customer platform id; absent: not listed.
    std::map<std::string, std::map<std::string, Result<std::vector<PlatformCredit>>>> credits;
    const RuleBook* rules = nullptr;  // the recorded versions: a redemption code's minimum subtotal
};

// Whether check_rewards reads the recorded entry: due cashback, reservations and their commits.
bool checked_for_rewards(const LedgerEntry& entry);

std::vector<Finding> check_rewards(const RewardFacts& facts, const CheckScope& scope);

// The grant a reward entry should have in the outbox, rebuilt as its writer built it; nullopt
// when the entry issues nothing (not a redemption or due cashback, or nobody to address it to:
// no e-mail on WooCommerce, no known `platform_customer` id on Shopify).
// A redemption's minimum subtotal comes from the rules version its reserve entry records (none
// without `rules` or when that version is unknown).
std::optional<RewardGrant> expected_grant(const LedgerEntry& entry, const Shop& shop,
                                          const std::set<std::string>& cashback_platforms,
                                          const std::string& platform_customer = "",
                                          const RuleBook* rules = nullptr);

}  // namespace rewardd::books
