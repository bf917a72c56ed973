// What each WooCommerce order status means for rewards, per shop. The defaults follow
// INTEGRATION.md W2 (paid = processing/completed, void = cancelled/failed, refunded = full refund);
// a shop overrides them with its `status_map` setting, e.g. "on-hold=paid,failed=placed".
// Pure: standard library and core's Result only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace rewardd::woocommerce {

enum class StatusMeaning {
    ignore,       // drafts: not an order yet (checkout-draft, auto-draft)
    placed,       // exists, not paid (pending, on-hold)
    paid,         // processing
    completed,    // completed: paid and final
    cancelled,    // cancelled, failed
    full_refund,  // refunded: whatever the refunds list leaves unrefunded is refunded too
};

std::optional<StatusMeaning> parse_status_meaning(std::string_view id);
const char* status_meaning_id(StatusMeaning meaning);

class StatusMap {
public:
    StatusMap();  // the defaults

    // "status=meaning,status=meaning" on top of the defaults; an unknown meaning is an error
    // naming the setting.
    static Result<StatusMap> parse(std::string_view text);

    // Statuses not in the map (extensions add their own) count as placed.
    StatusMeaning meaning(const std::string& status) const;

private:
    std::map<std::string, StatusMeaning, std::less<>> m_meanings;
};

}  // namespace rewardd::woocommerce
