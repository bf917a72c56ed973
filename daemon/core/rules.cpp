// Rule validation and version lookup.
#include "rules.hpp"

#include <algorithm>
#include <stdexcept>

namespace rewardd {

const char* pending_mode_id(PendingMode mode) {
    return mode == PendingMode::days_after_paid ? "days_after_paid" : "on_completion";
}

std::optional<PendingMode> parse_pending_mode(std::string_view id) {
    if (id == "days_after_paid") return PendingMode::days_after_paid;
    if (id == "on_completion") return PendingMode::on_completion;
    return std::nullopt;
}

const char* negative_policy_id(NegativePolicy policy) {
    return policy == NegativePolicy::carry ? "carry" : "write_off";
}

std::optional<NegativePolicy> parse_negative_policy(std::string_view id) {
    if (id == "carry") return NegativePolicy::carry;
    if (id == "write_off") return NegativePolicy::write_off;
    return std::nullopt;
}

const char* discounted_part_id(DiscountedPart part) {
    return part == DiscountedPart::excluded ? "excluded" : "included";
}

std::optional<DiscountedPart> parse_discounted_part(std::string_view id) {
    if (id == "excluded") return DiscountedPart::excluded;
    if (id == "included") return DiscountedPart::included;
    return std::nullopt;
}

std::int64_t milli_to_minor(std::int64_t milli, int exponent) {
    if (exponent >= 3) return milli * pow10(exponent - 3);
    const std::int64_t d = pow10(3 - exponent);
    return milli / d + (milli % d != 0 ? 1 : 0);
}

std::int64_t minor_to_milli(std::int64_t minor, int exponent) {
    if (exponent >= 3) return minor / pow10(exponent - 3);
    return minor * pow10(3 - exponent);
}

const EarnRate& earn_rate_for(const Rules& rules, const std::string& currency) {
    const auto it = rules.currency_rates.find(currency);
    return it == rules.currency_rates.end() ? rules.earn_rate : it->second;
}

namespace {

constexpr std::int64_t k_percent_max = 10000;  // x100
constexpr std::int64_t k_bp_max = 10000;       // 100%
constexpr std::int64_t k_milli_max = 1000000000000000;

Error bad(const std::string& key, const std::string& why) {
    return make_error(ErrorCode::invalid_rules, key + ": " + why, key);
}

std::optional<Error> validate_program(const Rules& r) {
    if (r.min_order_milli < 0 || r.min_order_milli > k_milli_max) return bad("min_order", "must be 0 or more");
    if (r.redeem_cart_share_max_bp < 1 || r.redeem_cart_share_max_bp > k_bp_max) {
        return bad("redeem_cart_share_max", "must be more than 0 and at most 100 (percent)");
    }
    for (const auto& [id, pct] : r.product_multipliers) {
        if (pct < 0 || pct > k_percent_max) return bad("multipliers.products." + id, "must be 0..100");
    }
    for (const auto& [id, pct] : r.category_multipliers) {
        if (pct < 0 || pct > k_percent_max) return bad("multipliers.categories." + id, "must be 0..100");
    }
    if (r.tier_window_days < 1 || r.tier_window_days > 3650) return bad("tier_window_days", "must be 1..3650");
    for (std::size_t i = 0; i < r.tiers.size(); ++i) {
        const auto& t = r.tiers[i];
        const std::string key = "tiers[" + std::to_string(i) + "]";
        if (t.name.empty()) return bad(key + ".name", "must not be empty");
        if (t.multiplier_percent < 0 || t.multiplier_percent > k_percent_max) return bad(key + ".multiplier", "must be 0..100");
        if (t.threshold_milli < 0 || t.threshold_milli > k_milli_max) return bad(key + ".threshold", "must be 0 or more");
        if (i > 0 && t.threshold_milli <= r.tiers[i - 1].threshold_milli) {
            return bad(key + ".threshold", "tiers must be listed by increasing threshold");
        }
    }
    for (std::size_t i = 0; i < r.campaigns.size(); ++i) {
        const auto& c = r.campaigns[i];
        const std::string key = "campaigns[" + std::to_string(i) + "]";
        if (c.id.empty()) return bad(key + ".id", "must not be empty");
        if (c.ends_at <= c.starts_at) return bad(key + ".ends", "must be after starts");
        if (c.multiplier_percent < 0 || c.multiplier_percent > k_percent_max) return bad(key + ".multiplier", "must be 0..100");
        if (c.cashback_bp < 0 || c.cashback_bp > k_bp_max) return bad(key + ".cashback", "must be 0..100 (percent)");
        if (c.min_order_milli < 0 || c.min_order_milli > k_milli_max) return bad(key + ".min_order", "must be 0 or more");
        for (std::size_t j = 0; j < i; ++j) {
            if (r.campaigns[j].id == c.id) return bad(key + ".id", "duplicate campaign id " + c.id);
        }
    }
    if (r.cashback.rate_bp < 0 || r.cashback.rate_bp > k_bp_max) return bad("cashback.rate", "must be 0..100 (percent)");
    if (r.cashback.min_order_milli < 0 || r.cashback.min_order_milli > k_milli_max) return bad("cashback.min_order", "must be 0 or more");
    for (const auto& [cat, bp] : r.cashback.category_bp) {
        if (bp < 0 || bp > k_bp_max) return bad("cashback.categories." + cat, "must be 0..100 (percent)");
    }
    if (r.referral.referee_points < 0 || r.referral.referee_points > 100000000) return bad("referral.referee_points", "must be 0..100000000");
    if (r.referral.referrer_points < 0 || r.referral.referrer_points > 100000000) return bad("referral.referrer_points", "must be 0..100000000");
    if (r.expiry.inactive_days < 0 || r.expiry.inactive_days > 36500) return bad("expiry.inactive_days", "must be 0..36500");
    if (r.expiry.lifetime_days < 0 || r.expiry.lifetime_days > 36500) return bad("expiry.lifetime_days", "must be 0..36500");
    return std::nullopt;
}

}  // namespace

Result<bool> validate_rules(const Rules& r) {
    auto bad = [](const char* key, const char* why) {
        return make_error(ErrorCode::invalid_rules, std::string(key) + ": " + why, key);
    };
    auto rate_ok = [](const EarnRate& e) {
        return e.points >= 0 && e.points <= 1000000 && e.per_units >= 1 && e.per_units <= 1000000;
    };
    if (r.version < 1) return bad("version", "must be 1 or more");
    if (!rate_ok(r.earn_rate)) return bad("earn_points", "points 0..1000000 per 1..1000000 units");
    for (const auto& [currency, rate] : r.currency_rates) {
        if (!currency_exponent(currency)) return bad("earn_currency_rates", "unknown currency");
        if (!rate_ok(rate)) return bad("earn_currency_rates", "points 0..1000000 per 1..1000000 units");
    }
    if (r.pending_days < 0 || r.pending_days > 3650) return bad("pending_days", "must be 0..3650");
    if (r.redeem_points_per_unit < 1) return bad("redeem_points_per_unit", "must be 1 or more");
    if (r.redeem_minimum_points < 0) return bad("redeem_minimum_points", "must be 0 or more");
    if (auto e = validate_program(r)) return *e;
    return true;
}

RuleBook::RuleBook(std::vector<Rules> versions) : m_versions(std::move(versions)) {
    if (m_versions.empty()) m_versions.push_back(Rules{});
    std::sort(m_versions.begin(), m_versions.end(), [](const Rules& a, const Rules& b) {
        return a.effective_from != b.effective_from ? a.effective_from < b.effective_from
                                                    : a.version < b.version;
    });
}

const Rules& RuleBook::at(Timestamp t) const {
    const Rules* found = &m_versions.front();
    for (const auto& r : m_versions) {
        if (r.effective_from <= t) found = &r;
    }
    return *found;
}

const Rules* RuleBook::version(int number) const {
    for (const auto& r : m_versions) {
        if (r.version == number) return &r;
    }
    return nullptr;
}

bool RuleBook::expiry_on() const {
    return std::any_of(m_versions.begin(), m_versions.end(), [](const Rules& r) {
        return r.expiry.inactive_days > 0 || r.expiry.lifetime_days > 0;
    });
}

const Rules& RuleBook::latest() const {
    return *std::max_element(m_versions.begin(), m_versions.end(),
                             [](const Rules& a, const Rules& b) { return a.version < b.version; });
}

}  // namespace rewardd
