// Customer read model.
#include "customer_view.hpp"

#include <algorithm>

#include "core/customer_key.hpp"
#include "core/customer_walk.hpp"

namespace rewardd {

Result<CustomerRecord> find_customer_record(LedgerStore& store, const std::string& query) {
    const std::string normalised = normalise_email(query);
    auto found = store.find_customer(normalised);
    if (!found) return found.error();
    if (!found->has_value()) {
        return make_error(ErrorCode::not_found, "no customer " + mask_email(normalised), "CUSTOMER");
    }
    return **found;
}

Result<CustomerView> load_customer_view(LedgerStore& store, const std::string& query) {
    auto found = find_customer_record(store, query);
    if (!found) return found.error();
    CustomerView view;
    view.customer = std::move(*found);
    auto entries = store.customer_entries(view.customer.key);
    if (!entries) return entries.error();
    view.entries = std::move(*entries);
    view.balance = sum_entries(view.entries);
    return view;
}

nlohmann::json entry_json(const LedgerEntry& e) {
    return {{"key", e.key},
            {"kind", entry_kind_id(e.kind)},
            {"points", e.pending_delta + e.available_delta},
            {"pending_delta", e.pending_delta},
            {"available_delta", e.available_delta},
            {"shop", e.shop_id},
            {"order", e.order_id},
            {"line", e.line_id},
            {"event", e.event_id},
            {"rule_version", e.rule_version},
            {"base_minor", e.base_minor},
            {"currency", e.currency},
            {"rate", e.rate},
            {"rounding", rounding_id(e.rounding)},
            {"effective_at", format_timestamp(e.effective_at)},
            {"refers_to", e.refers_to},
            {"reason", e.reason}};
}

namespace {

nlohmann::json customer_header(const CustomerView& view) {
    return {{"id", std::to_string(view.customer.id)}, {"email", view.customer.email}, {"key", view.customer.key}};
}

}  // namespace

nlohmann::json customer_show_json(const CustomerView& view, std::size_t history_max) {
    nlohmann::json history = nlohmann::json::array();
    for (auto it = view.entries.rbegin(); it != view.entries.rend() && history.size() < history_max; ++it) {
        history.push_back(entry_json(*it));
    }
    return {{"customer", customer_header(view)},
            {"available", view.balance.available},
            {"pending", view.balance.pending},
            {"tier", recorded_tier(view.entries)},
            {"lifetime_earned", view.balance.lifetime_earned},
            {"lifetime_redeemed", view.balance.lifetime_redeemed},
            {"history", history}};
}

std::vector<ExpiringPoints> upcoming_expiries(const RuleBook& rules, const CustomerView& view, Timestamp now) {
    if (!rules.expiry_on() || view.entries.empty()) return {};
    return walk_customer(rules, view.customer.key, view.entries, now).expiring;
}

void add_expiring_json(nlohmann::json& doc, const RuleBook& rules, const CustomerView& view, Timestamp now) {
    nlohmann::json expiring = nlohmann::json::array();
    for (const auto& e : upcoming_expiries(rules, view, now)) {
        expiring.push_back({{"points", e.points}, {"at", format_timestamp(e.at)}});
    }
    doc["next_expiry"] = expiring.empty() ? nlohmann::json(nullptr) : expiring.front();
    doc["expiring"] = std::move(expiring);
}

nlohmann::json explain_json(const CustomerView& view) {
    nlohmann::json entries = nlohmann::json::array();
    Balance running;
    for (const auto& e : view.entries) {
        add_to_balance(running, e);
        auto row = entry_json(e);
        row["available_after"] = running.available;
        row["pending_after"] = running.pending;
        entries.push_back(std::move(row));
    }
    nlohmann::json doc = {{"customer", customer_header(view)},
                          {"available", view.balance.available},
                          {"pending", view.balance.pending}};
    doc["entries"] = std::move(entries);  // an initializer list would copy every row once more
    return doc;
}

}  // namespace rewardd
