// The earning arithmetic. Combination rules (docs/rules.md): a line's multiplier is its product
// multiplier (or else the highest of its categories') times the tier's times the highest active
// campaign's that applies to it; cashback takes the highest applicable rate per line.
#include "earning_plan.hpp"

#include <algorithm>
#include <numeric>

#include "allocation.hpp"

namespace rewardd {
namespace {

constexpr std::int64_t k_ppm_one = 1000000;

bool has_category(const OrderLine& line, const std::string& category) {
    return std::find(line.categories.begin(), line.categories.end(), category) != line.categories.end();
}

bool campaign_applies(const Campaign& c, const OrderLine& line, std::int64_t base_milli) {
    return (c.category.empty() || has_category(line, c.category)) && base_milli >= c.min_order_milli;
}

// Product multiplier, else the highest category multiplier, else x1; with its description.
std::pair<std::int64_t, std::string> item_multiplier(const Rules& rules, const OrderLine& line) {
    if (const auto it = rules.product_multipliers.find(line.product_id); it != rules.product_multipliers.end()) {
        return {it->second, "product " + line.product_id};
    }
    std::pair<std::int64_t, std::string> best{100, ""};
    bool found = false;
    for (const auto& category : line.categories) {
        const auto it = rules.category_multipliers.find(category);
        if (it == rules.category_multipliers.end()) continue;
        if (!found || it->second > best.first) best = {it->second, "category " + category};
        found = true;
    }
    return best;
}

std::vector<std::int64_t> allocate_wide(std::int64_t total, const std::vector<__int128>& weights) {
    std::vector<std::int64_t> shares(weights.size(), 0);
    const __int128 sum = std::accumulate(weights.begin(), weights.end(), __int128{0});
    if (sum <= 0 || total <= 0) return shares;
    std::vector<std::pair<__int128, std::size_t>> remainders;
    std::int64_t given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const __int128 product = static_cast<__int128>(total) * weights[i];
        shares[i] = static_cast<std::int64_t>(product / sum);
        given += shares[i];
        remainders.emplace_back(product % sum, i);
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; given < total; ++k, ++given) shares[remainders[k].second] += 1;
    return shares;
}

void plan_line_multiplier(const Rules& rules, const OrderLine& line, const TierStatus& tier,
                          const std::vector<const Campaign*>& campaigns, std::int64_t base_milli,
                          LinePlan& plan) {
    std::vector<std::string> parts;
    const auto [item, item_text] = item_multiplier(rules, line);
    if (item != 100) parts.push_back(item_text + " x" + format_percent_factor(item));
    if (tier.multiplier_percent != 100) {
        parts.push_back("tier " + tier.name + " x" + format_percent_factor(tier.multiplier_percent));
    }
    std::int64_t boost = 100;
    std::string boost_id;
    for (const Campaign* c : campaigns) {
        if (c->multiplier_percent == 100 || !campaign_applies(*c, line, base_milli)) continue;
        if (boost_id.empty() || c->multiplier_percent > boost) {
            boost = c->multiplier_percent;
            boost_id = c->id;
        }
    }
    if (!boost_id.empty()) parts.push_back("campaign " + boost_id + " x" + format_percent_factor(boost));
    plan.multiplier_ppm = item * tier.multiplier_percent * boost;
    if (plan.multiplier_ppm == k_ppm_one) return;
    std::string joined;
    for (const auto& p : parts) joined += (joined.empty() ? "" : ", ") + p;
    plan.multiplier_text = " x" + format_percent_factor(plan.multiplier_ppm / 10000) + " (" + joined + ")";
    if (plan.multiplier_ppm % 10000 != 0) {
        plan.multiplier_text = " x" + format_minor(plan.multiplier_ppm, 6) + " (" + joined + ")";
    }
}

void plan_line_cashback(const Rules& rules, const OrderLine& line, const std::vector<const Campaign*>& campaigns,
                        std::int64_t base_milli, LinePlan& plan) {
    auto offer = [&plan](std::int64_t bp, const std::string& source) {
        if (bp > plan.cashback_bp) {
            plan.cashback_bp = bp;
            plan.cashback_source = source;
        }
    };
    if (base_milli >= rules.cashback.min_order_milli) offer(rules.cashback.rate_bp, "cashback");
    for (const auto& category : line.categories) {
        const auto it = rules.cashback.category_bp.find(category);
        if (it != rules.cashback.category_bp.end()) offer(it->second, "category " + category);
    }
    for (const Campaign* c : campaigns) {
        if (campaign_applies(*c, line, base_milli)) offer(c->cashback_bp, "campaign " + c->id);
    }
}

}  // namespace

std::string format_percent_factor(std::int64_t percent) {
    std::string text = format_minor(percent, 2);
    while (!text.empty() && text.back() == '0') text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
    return text;
}

std::string format_bp(std::int64_t bp) { return format_percent_factor(bp) + "%"; }

std::vector<const Campaign*> active_campaigns(const Rules& rules, Timestamp t) {
    std::vector<const Campaign*> out;
    for (const auto& c : rules.campaigns) {
        if (c.starts_at <= t && t < c.ends_at) out.push_back(&c);
    }
    return out;
}

EarningPlan plan_earning(const Rules& rules, const Order& order, Timestamp paid_at, const TierStatus& tier) {
    EarningPlan plan;
    const int exponent = currency_exponent(order.currency).value_or(2);
    const EarnRate& rate = earn_rate_for(rules, order.currency);
    std::vector<std::int64_t> weights;
    for (const auto& line : order.lines) weights.push_back(std::max<std::int64_t>(0, line.total_minor));
    const std::int64_t lines_sum = std::accumulate(weights.begin(), weights.end(), std::int64_t{0});
    const std::int64_t discount = rules.discounted_part == DiscountedPart::excluded ? order.discount_minor : 0;
    plan.base_minor = std::max<std::int64_t>(0, lines_sum - discount);
    const auto line_bases = allocate_largest_remainder(plan.base_minor, weights);
    plan.lines.resize(order.lines.size());
    for (std::size_t i = 0; i < order.lines.size(); ++i) plan.lines[i].base_minor = line_bases[i];
    const std::int64_t base_milli = minor_to_milli(plan.base_minor, exponent);
    if (base_milli < rules.min_order_milli) {
        plan.below_minimum = true;
        return plan;
    }

    const auto campaigns = active_campaigns(rules, paid_at);
    __int128 weighted = 0;
    __int128 cashback_sum = 0;
    std::vector<__int128> line_weights;
    bool uniform = true;
    for (std::size_t i = 0; i < order.lines.size(); ++i) {
        LinePlan& lp = plan.lines[i];
        plan_line_multiplier(rules, order.lines[i], tier, campaigns, base_milli, lp);
        plan_line_cashback(rules, order.lines[i], campaigns, base_milli, lp);
        line_weights.push_back(static_cast<__int128>(lp.base_minor) * lp.multiplier_ppm);
        weighted += line_weights.back();
        cashback_sum += static_cast<__int128>(lp.base_minor) * lp.cashback_bp;
        uniform = uniform && lp.multiplier_ppm == plan.lines.front().multiplier_ppm;
    }
    // Round once for the whole order, then spread: per-line rounding would lose a point per line.
    const __int128 denominator = static_cast<__int128>(rate.per_units) * pow10(exponent) * k_ppm_one;
    plan.points = divide_rounded(weighted * rate.points, denominator, rules.earn_rounding);
    const auto line_points = uniform ? allocate_largest_remainder(plan.points, line_bases)
                                     : allocate_wide(plan.points, line_weights);
    for (std::size_t i = 0; i < plan.lines.size(); ++i) plan.lines[i].points = line_points[i];

    plan.cashback_minor = divide_rounded(cashback_sum, 10000, Rounding::floor);
    if (plan.cashback_minor > 0) {
        std::string rates;
        for (std::size_t i = 0; i < plan.lines.size(); ++i) {
            if (plan.lines[i].cashback_bp == 0) continue;
            rates += (rates.empty() ? "" : ", ") + order.lines[i].id + " " + format_bp(plan.lines[i].cashback_bp) +
                     " (" + plan.lines[i].cashback_source + ")";
        }
        plan.cashback_text = "cashback on " + format_minor(plan.base_minor, exponent) + " " + order.currency +
                             ": " + rates;
    }
    return plan;
}

}  // namespace rewardd
