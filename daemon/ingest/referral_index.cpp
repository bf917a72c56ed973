// Catch up, then look up; the store has the last word (an erased customer's key is gone).
#include "referral_index.hpp"

#include "core/referral_code.hpp"

namespace rewardd {

Result<std::optional<CustomerRecord>> ReferralIndex::find(LedgerStore& store, const std::string& shop_id,
                                                       const std::string& code) {
    auto found = look_up(store, shop_id, code);
    if (!found || *found) return found;
    // An erasure renames a record the index may hold under its old key: index the shop anew.
    if (m_shops[shop_id].key_by_code.count(normalise_referral_code(code)) == 0) return found;
    m_shops.erase(shop_id);
    return look_up(store, shop_id, code);
}

Result<std::optional<CustomerRecord>> ReferralIndex::look_up(LedgerStore& store, const std::string& shop_id,
                                                          const std::string& code) {
    auto& shop = m_shops[shop_id];
    auto newer = store.customers_after(shop.through_id);
    if (!newer) return newer.error();
    for (const auto& c : *newer) {
        if (!c.key.empty()) shop.key_by_code.emplace(referral_code(shop_id, c.key), c.key);
        // The codes shared before an erasure still name the customer, now under the pseudonym.
        for (const auto& former : c.former_keys) shop.key_by_code.emplace(referral_code(shop_id, former), c.key);
        shop.through_id = c.id;
    }
    const auto hit = shop.key_by_code.find(normalise_referral_code(code));
    if (hit == shop.key_by_code.end()) return std::optional<CustomerRecord>{};
    return store.find_customer(hit->second);
}

std::size_t ReferralIndex::size() const {
    std::size_t codes = 0;
    for (const auto& [_, shop] : m_shops) codes += shop.key_by_code.size();
    return codes;
}

}  // namespace rewardd
