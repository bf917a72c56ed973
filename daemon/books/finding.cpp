// Rendering of reconcile findings.
#include "books/finding.hpp"

#include <array>
#include <utility>

namespace rewardd::books {

const char* finding_kind_id(FindingKind kind) {
    static constexpr std::array<std::pair<FindingKind, const char*>, 12> ids{{
        {FindingKind::entry_missing, "entry_missing"},
        {FindingKind::entry_extra, "entry_extra"},
        {FindingKind::entry_changed, "entry_changed"},
        {FindingKind::reward_not_queued, "reward_not_queued"},
        {FindingKind::reward_parked, "reward_parked"},
        {FindingKind::reward_missing, "reward_missing"},
        {FindingKind::reward_differs, "reward_differs"},
        {FindingKind::reward_trashed, "reward_trashed"},
        {FindingKind::reward_duplicated, "reward_duplicated"},
        {FindingKind::reward_unknown, "reward_unknown"},
        {FindingKind::reward_used_not_redeemed, "reward_used_not_redeemed"},
        {FindingKind::platform_unreachable, "platform_unreachable"},
    }};
    for (const auto& [k, id] : ids) {
        if (k == kind) return id;
    }
    return "unknown";
}

nlohmann::json findings_json(const std::vector<Finding>& findings) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& f : findings) {
        out.push_back({{"kind", finding_kind_id(f.kind)}, {"shop", f.shop_id}, {"subject", f.subject},
                       {"detail", f.detail}, {"fixable", f.repair.has_value()}, {"items", f.items}});
    }
    return out;
}

void print_findings_table(std::ostream& out, const std::vector<Finding>& findings) {
    for (const auto& f : findings) {
        std::string kind = finding_kind_id(f.kind);
        kind.resize(std::max<std::size_t>(kind.size(), 25), ' ');
        out << kind << " " << (f.shop_id.empty() ? "-" : f.shop_id) << "  " << f.subject << "\n    "
            << f.detail << (f.repair ? " [--fix repairs this]" : "") << "\n";
    }
}

}  // namespace rewardd::books
