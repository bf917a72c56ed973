// Entries are grouped by order in the order each order first appears; everything else is told in
// ledger order. Wording stays close to the entry fields so the story can be checked against them.
#include "books/balance_story.hpp"

#include <map>

#include "core/money.hpp"

namespace rewardd::books {
namespace {

std::string points(std::int64_t n) { return (n > 0 ? "+" : "") + std::to_string(n); }
std::string day(Timestamp t) { return format_timestamp(t).substr(0, 10); }
std::int64_t delta(const LedgerEntry& e) { return e.pending_delta + e.available_delta; }

std::string money(std::int64_t minor, const std::string& currency) {
    return format_minor(minor, currency_exponent(currency).value_or(2)) + " " + currency;
}

// One order's entries as a paragraph: the earning first, then what happened to it.
std::vector<std::string> order_story(const std::vector<const LedgerEntry*>& entries) {
    const LedgerEntry& first = *entries.front();
    std::int64_t earned = 0;
    std::vector<std::string> lines, rates;
    std::string when, version;
    for (const auto* e : entries) {
        if (e->kind != EntryKind::earn_pending || !e->refers_to.empty()) continue;  // a restore's re-earn: below
        earned += e->pending_delta;
        when = day(e->effective_at);
        version = "rules v" + std::to_string(e->rule_version);
        rates.push_back("line " + e->line_id + ": " + std::to_string(e->pending_delta) + " for " +
                        money(e->base_minor, e->currency) + " at " + e->rate);
    }
    std::string head = "order " + first.order_id + " (" + first.shop_id + ")";
    if (earned > 0) {
        lines.push_back(head + ", paid " + when + ": " + points(earned) + " points earned under " + version);
        for (const auto& r : rates) lines.push_back("    " + r);
    } else {
        lines.push_back(head + ":");
    }
    bool released = false;
    for (const auto* e : entries) {
        switch (e->kind) {
            case EntryKind::earn_pending:
                if (e->refers_to.empty()) break;
                lines.push_back("    " + day(e->effective_at) + " " + points(delta(*e)) + " for line " + e->line_id +
                                ": " + e->reason);
                break;
            case EntryKind::release:
                released = true;
                lines.push_back("    " + day(e->effective_at) + " " + std::to_string(e->available_delta) +
                                " points became available (" + e->reason + ")");
                break;
            case EntryKind::claw_back:
                lines.push_back("    " + day(e->effective_at) + " " + points(delta(*e)) + " for " + e->reason +
                                (e->line_id.empty() ? "" : " of line " + e->line_id) + " (refunded share " + e->rate + ")");
                break;
            case EntryKind::reverse:
                lines.push_back("    " + day(e->effective_at) + " " + points(delta(*e)) + ": " + e->reason +
                                ", whatever the order still held taken back");
                break;
            case EntryKind::cashback:
                lines.push_back("    cashback " + money(e->base_minor, e->currency) + " (" + e->rate + "), held like the points");
                break;
            case EntryKind::cashback_due:
                lines.push_back("    " + day(e->effective_at) + " cashback " + money(e->base_minor, e->currency) +
                                " due: issued as a code or store credit");
                break;
            case EntryKind::cashback_reverse:
                lines.push_back("    " + day(e->effective_at) + " cashback taken back: " + e->reason);
                break;
            default:
                break;
        }
    }
    std::int64_t pending = 0;
    for (const auto* e : entries) pending += e->pending_delta;
    if (!released && pending > 0) lines.push_back("    still pending: " + std::to_string(pending) + " points");
    return lines;
}

// A movement that belongs to no order.
std::string other_line(const LedgerEntry& e) {
    const std::string at = day(e.effective_at) + " ";
    switch (e.kind) {
        case EntryKind::adjust: return at + points(delta(e)) + " manual adjustment: " + e.reason;
        case EntryKind::reserve: return at + points(delta(e)) + " redeemed: " + e.reason;
        case EntryKind::reserve_release: return at + points(delta(e)) + " back: redemption code unused (" + e.reason + ")";
        case EntryKind::redeem_commit: return at + "redemption code used: " + e.reason;
        case EntryKind::expire: return at + points(delta(e)) + " expired: " + e.reason;
        case EntryKind::negative_balance: return at + points(delta(e)) + " " + e.reason;
        case EntryKind::tier_change: return at + "tier " + e.reason + " (" + e.rate + ")";
        case EntryKind::referral_reward: return at + points(delta(e)) + " referral: " + e.reason;
        case EntryKind::referral_refused: return at + "referral refused: " + e.reason;
        default: return at + points(delta(e)) + " " + entry_kind_id(e.kind) + ": " + e.reason;
    }
}

}  // namespace

std::vector<std::string> balance_story(const std::string& who, const Balance& balance,
                                       const std::vector<LedgerEntry>& entries) {
    std::vector<std::string> out{who + " has " + std::to_string(balance.available) + " points available and " +
                                 std::to_string(balance.pending) + " pending. Why:"};
    std::map<std::string, std::vector<const LedgerEntry*>> orders;
    std::vector<std::string> order_keys;
    for (const auto& e : entries) {
        if (e.order_id.empty() || e.kind == EntryKind::redeem_commit) continue;
        const std::string key = e.shop_id + "\n" + e.order_id;
        if (!orders.count(key)) order_keys.push_back(key);
        orders[key].push_back(&e);
    }
    std::size_t next_order = 0;
    for (const auto& e : entries) {
        if (!e.order_id.empty() && e.kind != EntryKind::redeem_commit) {
            const std::string key = e.shop_id + "\n" + e.order_id;
            if (next_order < order_keys.size() && order_keys[next_order] == key) {
                for (auto& line : order_story(orders[key])) out.push_back("  " + line);
                ++next_order;
            }
            continue;
        }
        out.push_back("  " + other_line(e));
    }
    out.push_back("  = " + std::to_string(balance.available) + " available + " + std::to_string(balance.pending) +
                  " pending");
    return out;
}

std::vector<std::string> balance_outlook(const std::string& tier, const std::vector<ExpiringPoints>& expiring) {
    std::vector<std::string> out{"Tier now: " + tier + "."};
    for (const auto& e : expiring) {
        out.push_back(std::to_string(e.points) + " points expire on " + format_timestamp(e.at) + " unless used.");
    }
    return out;
}

}  // namespace rewardd::books
