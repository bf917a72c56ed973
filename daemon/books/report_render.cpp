// All three renderings walk the same JSON document, so they cannot disagree.
#include "books/report_render.hpp"

#include "core/money.hpp"
#include "views/export_rows.hpp"

namespace rewardd::books {
namespace {

using nlohmann::json;

json group_json(const GroupFigures& g) {
    json aov = json::object();
    for (const auto& [currency, orders] : g.orders) aov[currency] = g.revenue_minor.at(currency) / orders;
    return {{"customers", g.customers}, {"repeat_customers", g.repeat_customers},
            {"repeat_rate_bp", g.customers ? g.repeat_customers * 10000 / g.customers : 0},
            {"orders", g.orders}, {"revenue_minor", g.revenue_minor}, {"average_order_minor", aov}};
}

json window_json(const WindowFigures& w) {
    return {{"from", format_timestamp(w.from)}, {"to", format_timestamp(w.to)}, {"orders", w.orders},
            {"revenue_minor", w.revenue_minor}, {"points_earned", w.points_earned}, {"cashback_minor", w.cashback_minor}};
}

// Flattens the document into (path, value) rows: "members.repeat_rate_bp", 1234.
void flatten(const json& j, const std::string& path, std::vector<std::pair<std::string, std::string>>& out) {
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) flatten(v, path.empty() ? k : path + "." + k, out);
    } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i) flatten(j[i], path + "." + std::to_string(i), out);
    } else {
        out.emplace_back(path, j.is_string() ? j.get<std::string>() : j.dump());
    }
}

}  // namespace

json report_json(const Report& r) {
    json journal = json::array();
    for (const auto& l : r.journal) {
        journal.push_back({{"movement", l.movement}, {"debit", l.debit}, {"credit", l.credit}, {"points", l.points},
                           {"amount_minor", l.amount_minor}});
    }
    json campaigns = json::array();
    for (const auto& c : r.campaigns) {
        campaigns.push_back({{"id", c.id}, {"during", window_json(c.during)}, {"before", window_json(c.before)}});
    }
    const auto& q = r.request;
    return {{"period", {{"from", format_timestamp(q.from)},
                        {"to", q.to == std::numeric_limits<Timestamp>::max() ? json(nullptr) : json(format_timestamp(q.to))},
                        {"shop", q.shop_id}, {"currency", q.currency}}},
            {"members", r.members},
            {"active_members", r.active_members},
            {"member_orders", group_json(r.member_orders)},
            {"other_orders", group_json(r.other_orders)},
            {"points", {{"issued", r.points_issued}, {"redeemed", r.points_redeemed}, {"expired", r.points_expired},
                        {"reversed", r.points_reversed}, {"redemption_rate_bp", redemption_rate_bp(r)}}},
            {"liability", {{"available_points", r.liability_available}, {"pending_points", r.liability_pending},
                           {"points", r.liability_available + r.liability_pending}, {"amount_minor", r.liability_minor},
                           {"currency", q.currency}}},
            {"journal", journal},
            {"tiers", r.tiers},
            {"referrals", {{"referred", r.referrals.referred}, {"converted", r.referrals.converted},
                           {"reversed", r.referrals.reversed}, {"refused", r.referrals.refused}}},
            {"campaigns", campaigns},
            {"cashback", {{"cost_minor", r.cashback_minor}, {"order_revenue_minor", r.cashback_order_revenue_minor}}}};
}

void write_report_csv(std::ostream& out, const Report& r) {
    std::vector<std::pair<std::string, std::string>> rows;
    flatten(report_json(r), "", rows);
    out << "figure,value\n";
    for (const auto& [path, value] : rows) out << csv_field(path) << "," << csv_field(value) << "\n";
}

void write_report_text(std::ostream& out, const Report& r) {
    std::vector<std::pair<std::string, std::string>> rows;
    flatten(report_json(r), "", rows);
    for (const auto& [path, value] : rows) {
        out << path << std::string(path.size() < 48 ? 48 - path.size() : 1, ' ') << value << "\n";
    }
}

}  // namespace rewardd::books
