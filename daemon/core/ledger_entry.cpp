// Entry kind names and the canonical fingerprint of an entry.
#include "ledger_entry.hpp"

#include <array>
#include <utility>

namespace rewardd {
namespace {

constexpr std::array<std::pair<EntryKind, std::string_view>, 16> k_kinds{{
    {EntryKind::earn_pending, "earn_pending"},
    {EntryKind::release, "release"},
    {EntryKind::claw_back, "claw_back"},
    {EntryKind::reverse, "reverse"},
    {EntryKind::adjust, "adjust"},
    {EntryKind::cashback, "cashback"},
    {EntryKind::cashback_due, "cashback_due"},
    {EntryKind::cashback_reverse, "cashback_reverse"},
    {EntryKind::tier_change, "tier_change"},
    {EntryKind::expire, "expire"},
    {EntryKind::negative_balance, "negative_balance"},
    {EntryKind::referral_reward, "referral_reward"},
    {EntryKind::referral_refused, "referral_refused"},
    {EntryKind::reserve, "reserve"},
    {EntryKind::reserve_release, "reserve_release"},
    {EntryKind::redeem_commit, "redeem_commit"},
}};

}  // namespace

const char* entry_kind_id(EntryKind kind) {
    for (const auto& [k, name] : k_kinds) {
        if (k == kind) return name.data();
    }
    return "unknown";
}

std::optional<EntryKind> parse_entry_kind(std::string_view id) {
    for (const auto& [k, name] : k_kinds) {
        if (name == id) return k;
    }
    return std::nullopt;
}

std::string entry_fingerprint(const LedgerEntry& e) {
    std::string out;
    auto field = [&out](std::string_view value) {
        out += std::to_string(value.size());
        out += ':';
        out += value;
        out += '|';
    };
    field(e.key);
    field(e.customer);
    field(e.shop_id);
    field(e.order_id);
    field(entry_kind_id(e.kind));
    field(std::to_string(e.pending_delta));
    field(std::to_string(e.available_delta));
    field(std::to_string(e.rule_version));
    field(e.line_id);
    field(std::to_string(e.base_minor));
    field(e.currency);
    field(e.rate);
    field(rounding_id(e.rounding));
    field(e.event_id);
    field(std::to_string(e.effective_at));
    field(e.refers_to);
    field(e.reason);
    return out;
}

}  // namespace rewardd

namespace rewardd {

std::string entry_content_hash(const LedgerEntry& entry) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : entry_fingerprint(entry)) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    static const char* digits = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = digits[h & 0xF];
    return out;
}

}  // namespace rewardd
