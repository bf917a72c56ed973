// Field-by-field comparison, so a finding says which fields differ, not only that something does.
#include "books/ledger_check.hpp"

namespace rewardd::books {
namespace {

bool in_scope(const LedgerEntry& e, const CheckScope& scope) {
    if (!scope.shop_id.empty() && e.shop_id != scope.shop_id) return false;
    return e.effective_at >= scope.since;
}

std::string differing_fields(const LedgerEntry& a, const LedgerEntry& b) {
    std::string out;
    const auto add = [&](bool differs, const char* name) {
        if (!differs) return;
        out += out.empty() ? "" : ", ";
        out += name;
    };
    add(a.customer != b.customer, "customer");
    add(a.shop_id != b.shop_id || a.order_id != b.order_id, "order");
    add(a.kind != b.kind, "kind");
    add(a.pending_delta != b.pending_delta, "pending_delta");
    add(a.available_delta != b.available_delta, "available_delta");
    add(a.rule_version != b.rule_version, "rule_version");
    add(a.line_id != b.line_id, "line");
    add(a.base_minor != b.base_minor || a.currency != b.currency, "base amount");
    add(a.rate != b.rate || a.rounding != b.rounding, "rate");
    add(a.event_id != b.event_id, "event");
    add(a.effective_at != b.effective_at, "effective_at");
    add(a.refers_to != b.refers_to, "refers_to");
    add(a.reason != b.reason, "reason");
    return out;
}

Finding entry_finding(FindingKind kind, const LedgerEntry& e, std::string detail) {
    Finding f;
    f.kind = kind;
    f.shop_id = e.shop_id;
    f.subject = e.key;
    f.detail = std::move(detail);
    return f;
}

}  // namespace

nlohmann::json entry_summary(const LedgerEntry& e) {
    return {{"key", e.key},
            {"customer", e.customer},
            {"kind", entry_kind_id(e.kind)},
            {"pending_delta", e.pending_delta},
            {"available_delta", e.available_delta},
            {"rule_version", e.rule_version},
            {"base_minor", e.base_minor},
            {"currency", e.currency},
            {"rate", e.rate},
            {"event", e.event_id},
            {"effective_at", format_timestamp(e.effective_at)},
            {"reason", e.reason}};
}

std::vector<Finding> compare_ledgers(const NextEntry& recorded, const NextEntry& replayed, const CheckScope& scope,
                                     const std::function<void(const LedgerEntry& recorded)>& seen) {
    std::vector<Finding> out;
    std::vector<Finding> extra;  // reported after the rest, as a walk over the replay then the ledger would
    auto theirs = recorded();
    auto mine = replayed();
    while (theirs || mine) {
        if (mine && (!theirs || mine->key < theirs->key)) {
            if (in_scope(*mine, scope)) {
                out.push_back(entry_finding(FindingKind::entry_missing, *mine,
                                            "the events call for this entry but the ledger does not have it"));
                out.back().items.push_back({{"replayed", entry_summary(*mine)}});
            }
            mine = replayed();
            continue;
        }
        seen(*theirs);
        if (!mine || theirs->key < mine->key) {
            if (in_scope(*theirs, scope)) {
                extra.push_back(entry_finding(FindingKind::entry_extra, *theirs, "no stored event calls for this entry"));
                extra.back().items.push_back({{"recorded", entry_summary(*theirs)}});
            }
            theirs = recorded();
            continue;
        }
        if (const auto fields = differing_fields(*theirs, *mine); in_scope(*mine, scope) && !fields.empty()) {
            out.push_back(entry_finding(FindingKind::entry_changed, *mine,
                                        "the ledger's entry differs from what the events call for in: " + fields));
            out.back().items.push_back({{"recorded", entry_summary(*theirs)}, {"replayed", entry_summary(*mine)}});
        }
        theirs = recorded();
        mine = replayed();
    }
    out.insert(out.end(), std::make_move_iterator(extra.begin()), std::make_move_iterator(extra.end()));
    return out;
}

}  // namespace rewardd::books
