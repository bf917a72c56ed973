// Tier changes as entries, then the lot walk over everything (tier entries move no points).
#include "customer_walk.hpp"

#include <algorithm>
#include <set>
#include <string_view>

#include "tier_timeline.hpp"

namespace rewardd {
namespace {

// Milli-units as a plain decimal without trailing zeros: 1500000 -> "1500", 1234560 -> "1234.56".
std::string format_milli(std::int64_t milli) {
    std::string text = format_minor(milli, 3);
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
    return text;
}

LedgerEntry tier_entry(const std::string& customer, const TierChange& change, const std::vector<SpendFact>& facts,
                       const Rules& rules) {
    LedgerEntry e;
    e.key = tier_change_key(customer, change.at);
    e.customer = customer;
    e.kind = EntryKind::tier_change;
    e.rule_version = change.rule_version;
    e.effective_at = change.at;
    // The order whose payment or refund moved the tier; none when the window's end did.
    const auto fact = std::find_if(facts.begin(), facts.end(), [&](const SpendFact& f) { return f.at == change.at; });
    if (fact != facts.end()) {
        // order_id stays empty: an order's walk owns the entries carrying its id.
        e.shop_id = fact->order_ref.substr(0, fact->order_ref.find(":order:"));
        e.refers_to = fact->order_ref;
    }
    e.rate = "spend " + format_milli(change.spend_milli) + " in " + std::to_string(rules.tier_window_days) +
             " days, threshold " + format_milli(change.threshold_milli);
    e.reason = change.from + " -> " + change.to;
    return e;
}

}  // namespace

std::string recorded_tier(const std::vector<LedgerEntry>& customer_entries) {
    const LedgerEntry* latest = nullptr;
    for (const auto& e : customer_entries) {
        if (e.kind == EntryKind::tier_change && (!latest || e.effective_at >= latest->effective_at)) latest = &e;
    }
    return latest ? tier_change_target(latest->reason) : "none";
}

std::string tier_change_target(std::string_view reason) {
    const auto arrow = reason.rfind(" -> ");
    return arrow == std::string_view::npos ? "none" : std::string(reason.substr(arrow + 4));
}

std::string tier_change_key(const std::string& customer, Timestamp at) {
    return "tier:" + customer + ":" + std::to_string(at);
}

CustomerOutcome walk_customer(const RuleBook& rules, const std::string& customer,
                              const std::vector<LedgerEntry>& customer_entries, Timestamp now) {
    CustomerOutcome out;
    const auto facts = spend_from_entries(customer_entries);
    std::set<std::string_view> known;
    for (const auto& e : customer_entries) {
        if (e.kind == EntryKind::tier_change) known.insert(e.key);
    }
    for (const auto& change : tier_timeline(rules, facts, now)) {
        LedgerEntry e = tier_entry(customer, change, facts, rules.at(change.at));
        if (known.count(e.key)) continue;
        out.new_entries.push_back(std::move(e));
    }
    // The lot walk reads the entries in place (out.new_entries does not grow until it is done).
    std::vector<const LedgerEntry*> all;
    all.reserve(customer_entries.size() + out.new_entries.size());
    for (const auto& e : customer_entries) all.push_back(&e);
    for (const auto& e : out.new_entries) all.push_back(&e);
    const Rules& current = rules.at(now);
    if (!current.tiers.empty()) out.tier = tier_for_spend(current, spend_in_window(facts, now, current.tier_window_days));

    if (!all.empty()) {
        LotOutcome lots = LotBook(rules, std::move(all)).run(now);
        out.new_entries.insert(out.new_entries.end(), lots.new_entries.begin(), lots.new_entries.end());
        out.expiring = std::move(lots.upcoming);
        out.next_check_at = lots.next_check_at;
    }
    const Timestamp tier_check = next_tier_check(rules, facts, now);
    if (tier_check != 0 && (!out.next_check_at || tier_check < *out.next_check_at)) out.next_check_at = tier_check;
    return out;
}

}  // namespace rewardd
