// Which customer a referral code names, per shop. Codes are derived one-way from customer keys
// (core/referral_code), so matching one means deriving the codes of the known customers; this
// index derives each customer's code once and catches up on new customers by id, instead of
// reading and hashing every customer for every order that carries a code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/ledger_store.hpp"

namespace rewardd {

class ReferralIndex {
public:
    // The customer whose code in `shop_id` is `code` (any case and spacing), if the store still
    // knows them: an erased customer under their pseudonym, by the codes of their former keys
    // too (the daemon decided the referrals those codes brought before the erasure; a replay of
    // the scrubbed events must decide them the same way).
    Result<std::optional<CustomerRecord>> find(LedgerStore& store, const std::string& shop_id, const std::string& code);

    // Forget everything: after a rolled-back transaction the ids it read may be handed out again,
    // and an idle writer gives the memory back (the next lookup indexes the shop anew).
    void clear() { m_shops.clear(); }
    // Codes indexed, all shops together.
    std::size_t size() const;

private:
    Result<std::optional<CustomerRecord>> look_up(LedgerStore& store, const std::string& shop_id, const std::string& code);

    struct ShopCodes {
        std::int64_t through_id = 0;  // customers up to this id are indexed
        std::unordered_map<std::string, std::string> key_by_code;
    };
    std::map<std::string, ShopCodes, std::less<>> m_shops;
};

}  // namespace rewardd
