// Entries are grouped by order in the order each order first appears; everything else is told in
// ledger order. Wording stays close to the entry fields so the story can be checked against them.
#include "books/balance_story.hpp"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/money.hpp"

namespace rewardd::books {
namespace {

// One line from its parts, sized once: the story is tens of thousands of lines.
std::string cat(std::initializer_list<std::string_view> parts) {
    std::size_t size = 0;
    for (const auto p : parts) size += p.size();
    std::string out;
    out.reserve(size);
    for (const auto p : parts) out.append(p);
    return out;
}

std::string points(std::int64_t n) { return (n > 0 ? "+" : "") + std::to_string(n); }
// The entry's UTC date. Formatting a timestamp (snprintf) was the story's largest cost in libc,
// and a long ledger has many entries on each of a few hundred days, told out of date order (an
// order's paragraph spans weeks): the days told are kept in a small table by day number. Per
// thread, so the story stays pure; on the heap, made by the first story a thread tells, because
// static thread-local storage is set up (zeroed, so resident) for every thread the daemon starts,
// and this table's 20 KB there made every HTTP worker's and idle thread's stack that much bigger.
std::string day(Timestamp t) {
    struct Day {
        std::int64_t number = INT64_MIN;
        std::string text;
    };
    using Days = std::array<Day, 512>;
    thread_local std::unique_ptr<Days> days;
    if (!days) days = std::make_unique<Days>();
    const std::int64_t number = t >= 0 ? t / k_seconds_per_day : -((-t + k_seconds_per_day - 1) / k_seconds_per_day);
    Day& slot = (*days)[static_cast<std::uint64_t>(number) % days->size()];
    if (slot.number != number) {
        slot.text = format_timestamp(t).substr(0, 10);
        slot.number = number;
    }
    return slot.text;
}

std::int64_t delta(const StoryEntry& e) { return e.pending_delta + e.available_delta; }

// A ledger is nearly always in one currency, and finding its exponent is a walk of the currency
// table: the last one looked up is kept, as day() keeps its day.
int exponent(std::string_view currency) {
    thread_local std::string last_currency;
    thread_local int last_exponent = 2;
    if (currency != last_currency || last_currency.empty()) {
        last_exponent = currency_exponent(currency).value_or(2);
        last_currency = currency;
    }
    return last_exponent;
}

std::string money(std::int64_t minor, std::string_view currency) {
    return cat({format_minor(minor, exponent(currency)), " ", currency});
}

// One order's entries as an indented paragraph: the earning first, then what happened to it.
void order_story(const std::vector<const StoryEntry*>& entries, const StoryLine& emit) {
    const StoryEntry& first = *entries.front();
    std::int64_t earned = 0;
    std::vector<std::string> rates;
    std::string when, version;
    for (const auto* e : entries) {
        if (e->kind != EntryKind::earn_pending || e->corrects) continue;  // a restore's re-earn: below
        earned += e->pending_delta;
        when = day(e->effective_at);
        version = "rules v" + std::to_string(e->rule_version);
        rates.push_back(cat({"      line ", e->line_id, ": ", std::to_string(e->pending_delta), " for ",
                             money(e->base_minor, e->currency), " at ", e->rate}));
    }
    const std::string head = cat({"  order ", first.order_id, " (", first.shop_id, ")"});
    if (earned > 0) {
        emit(cat({head, ", paid ", when, ": ", points(earned), " points earned under ", version}));
        for (const auto& r : rates) emit(r);
    } else {
        emit(head + ":");
    }
    bool released = false;
    for (const auto* e : entries) {
        switch (e->kind) {
            case EntryKind::earn_pending:
                if (!e->corrects) break;
                emit(cat({"      ", day(e->effective_at), " ", points(delta(*e)), " for line ", e->line_id, ": ",
                          e->reason}));
                break;
            case EntryKind::release:
                released = true;
                emit(cat({"      ", day(e->effective_at), " ", std::to_string(e->available_delta),
                          " points became available (", e->reason, ")"}));
                break;
            case EntryKind::claw_back:
                emit(cat({"      ", day(e->effective_at), " ", points(delta(*e)), " for ", e->reason,
                          e->line_id.empty() ? "" : " of line ", e->line_id, " (refunded share ", e->rate, ")"}));
                break;
            case EntryKind::reverse:
                emit(cat({"      ", day(e->effective_at), " ", points(delta(*e)), ": ", e->reason,
                          ", whatever the order still held taken back"}));
                break;
            case EntryKind::cashback:
                emit(cat({"      cashback ", money(e->base_minor, e->currency), " (", e->rate,
                          "), held like the points"}));
                break;
            case EntryKind::cashback_due:
                emit(cat({"      ", day(e->effective_at), " cashback ", money(e->base_minor, e->currency),
                          " due: issued as a code or store credit"}));
                break;
            case EntryKind::cashback_reverse:
                emit(cat({"      ", day(e->effective_at), " cashback taken back: ", e->reason}));
                break;
            default:
                break;
        }
    }
    std::int64_t pending = 0;
    for (const auto* e : entries) pending += e->pending_delta;
    if (!released && pending > 0) emit("      still pending: " + std::to_string(pending) + " points");
}

// Told in its order's paragraph rather than on its own line.
bool in_order_story(const StoryEntry& e) { return !e.order_id.empty() && e.kind != EntryKind::redeem_commit; }

// (shop, order), pointing into the entries being told.
using OrderRef = std::pair<std::string_view, std::string_view>;
struct OrderRefHash {
    std::size_t operator()(const OrderRef& r) const {
        const std::hash<std::string_view> h;
        return h(r.first) * 31 + h(r.second);
    }
};
constexpr std::size_t k_no_order = static_cast<std::size_t>(-1);

// A movement that belongs to no order.
std::string other_line(const StoryEntry& e) {
    const std::string at = day(e.effective_at);
    switch (e.kind) {
        case EntryKind::adjust: return cat({at, " ", points(delta(e)), " manual adjustment: ", e.reason});
        case EntryKind::reserve: return cat({at, " ", points(delta(e)), " redeemed: ", e.reason});
        case EntryKind::reserve_release:
            return cat({at, " ", points(delta(e)), " back: redemption code unused (", e.reason, ")"});
        case EntryKind::redeem_commit: return cat({at, " redemption code used: ", e.reason});
        case EntryKind::expire: return cat({at, " ", points(delta(e)), " expired: ", e.reason});
        case EntryKind::negative_balance: return cat({at, " ", points(delta(e)), " ", e.reason});
        case EntryKind::tier_change: return cat({at, " tier ", e.reason, " (", e.rate, ")"});
        case EntryKind::referral_reward: return cat({at, " ", points(delta(e)), " referral: ", e.reason});
        case EntryKind::referral_refused: return cat({at, " referral refused: ", e.reason});
        default: return cat({at, " ", points(delta(e)), " ", entry_kind_id(e.kind), ": ", e.reason});
    }
}

}  // namespace

StoryEntry story_entry(const LedgerEntry& e) {
    return {e.kind,     e.pending_delta, e.available_delta, e.base_minor, e.rule_version, !e.refers_to.empty(),
            e.effective_at, e.shop_id,   e.order_id,        e.line_id,    e.currency,     e.rate,
            e.reason};
}

void tell_balance_story(const std::string& who, const Balance& balance, const std::vector<StoryEntry>& entries,
                        const StoryLine& emit) {
    emit(who + " has " + std::to_string(balance.available) + " points available and " +
         std::to_string(balance.pending) + " pending. Why:");
    // Each order's entries, grouped in one pass; the paragraph is told where the order first appears.
    std::unordered_map<OrderRef, std::size_t, OrderRefHash> order_index;
    std::vector<std::vector<const StoryEntry*>> orders;
    std::vector<std::size_t> order_first_told_at(entries.size(), k_no_order);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        if (!in_order_story(e)) continue;
        const auto [it, first] = order_index.try_emplace(OrderRef{e.shop_id, e.order_id}, orders.size());
        if (first) {
            orders.emplace_back();
            order_first_told_at[i] = it->second;
        }
        orders[it->second].push_back(&e);
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!in_order_story(entries[i])) {
            emit("  " + other_line(entries[i]));
        } else if (order_first_told_at[i] != k_no_order) {
            order_story(orders[order_first_told_at[i]], emit);
        }
    }
    emit("  = " + std::to_string(balance.available) + " available + " + std::to_string(balance.pending) + " pending");
}

void tell_balance_story(const std::string& who, const Balance& balance, const std::vector<LedgerEntry>& entries,
                        const StoryLine& emit) {
    std::vector<StoryEntry> views;
    views.reserve(entries.size());
    for (const auto& e : entries) views.push_back(story_entry(e));
    tell_balance_story(who, balance, views, emit);
}

std::vector<std::string> balance_story(const std::string& who, const Balance& balance,
                                       const std::vector<LedgerEntry>& entries) {
    std::vector<std::string> out;
    tell_balance_story(who, balance, entries, [&](const std::string& line) { out.push_back(line); });
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
