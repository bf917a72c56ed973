// Code -> reservation through the outbox grant that issued the code.
#include "redemption_codes.hpp"

#include <string>

#include "core/redemption.hpp"
#include "outbox/outbox_store.hpp"

namespace rewardd {

LedgerApplier::CodeLookup outbox_code_lookup(std::shared_ptr<SQLite::Database> db) {
    return [db = std::move(db)](const std::string& shop_id,
                                const std::string& code) -> Result<std::optional<IssuedCode>> {
        const std::string prefix = std::string(k_redemption_code_prefix) + "-";
        if (code.rfind(prefix, 0) != 0) return std::optional<IssuedCode>{};
        auto item = OutboxStore(db).find_by_code(shop_id, code);
        if (!item) return item.error();
        const std::string reservations = reservation_key(shop_id, "");
        if (!*item || (*item)->grant.grant_id.rfind(reservations, 0) != 0) return std::optional<IssuedCode>{};
        const RewardGrant& g = (*item)->grant;
        return std::optional<IssuedCode>{IssuedCode{g.grant_id.substr(reservations.size()), g.customer_email, g.expires_at}};
    };
}

}  // namespace rewardd
