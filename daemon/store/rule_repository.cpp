// JSON form of rules and the rule_versions table.
#include "rule_repository.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <nlohmann/json.hpp>

namespace rewardd {
namespace {

using nlohmann::json;

json program_to_json(const Rules& r) {
    json tiers = json::array();
    for (const auto& t : r.tiers) {
        tiers.push_back({{"name", t.name}, {"threshold_milli", t.threshold_milli}, {"multiplier_percent", t.multiplier_percent}});
    }
    json campaigns = json::array();
    for (const auto& c : r.campaigns) {
        campaigns.push_back({{"id", c.id}, {"starts_at", c.starts_at}, {"ends_at", c.ends_at},
                             {"multiplier_percent", c.multiplier_percent}, {"cashback_bp", c.cashback_bp},
                             {"category", c.category}, {"min_order_milli", c.min_order_milli}});
    }
    return {{"redeem_cart_share_max_bp", r.redeem_cart_share_max_bp},
            {"min_order_milli", r.min_order_milli},
            {"discounted_part", discounted_part_id(r.discounted_part)},
            {"product_multipliers", r.product_multipliers},
            {"category_multipliers", r.category_multipliers},
            {"tiers", tiers},
            {"tier_window_days", r.tier_window_days},
            {"campaigns", campaigns},
            {"cashback", {{"rate_bp", r.cashback.rate_bp}, {"min_order_milli", r.cashback.min_order_milli},
                          {"category_bp", r.cashback.category_bp}}},
            {"referral", {{"referee_points", r.referral.referee_points}, {"referrer_points", r.referral.referrer_points}}},
            {"expiry", {{"inactive_days", r.expiry.inactive_days}, {"lifetime_days", r.expiry.lifetime_days}}},
            {"negative_policy", negative_policy_id(r.negative_policy)}};
}

void program_from_json(const json& j, Rules& r) {
    const Rules d;
    r.redeem_cart_share_max_bp = j.value("redeem_cart_share_max_bp", d.redeem_cart_share_max_bp);
    r.min_order_milli = j.value("min_order_milli", d.min_order_milli);
    r.discounted_part = parse_discounted_part(j.value("discounted_part", "excluded")).value_or(d.discounted_part);
    r.product_multipliers = j.value("product_multipliers", d.product_multipliers);
    r.category_multipliers = j.value("category_multipliers", d.category_multipliers);
    for (const auto& t : j.value("tiers", json::array())) {
        r.tiers.push_back({t.at("name"), t.at("threshold_milli"), t.at("multiplier_percent")});
    }
    r.tier_window_days = j.value("tier_window_days", d.tier_window_days);
    for (const auto& c : j.value("campaigns", json::array())) {
        r.campaigns.push_back({c.at("id"), c.at("starts_at"), c.at("ends_at"), c.at("multiplier_percent"),
                               c.at("cashback_bp"), c.at("category"), c.at("min_order_milli")});
    }
    const json cashback = j.value("cashback", json::object());
    r.cashback.rate_bp = cashback.value("rate_bp", std::int64_t{0});
    r.cashback.min_order_milli = cashback.value("min_order_milli", std::int64_t{0});
    r.cashback.category_bp = cashback.value("category_bp", d.cashback.category_bp);
    const json referral = j.value("referral", json::object());
    r.referral.referee_points = referral.value("referee_points", std::int64_t{0});
    r.referral.referrer_points = referral.value("referrer_points", std::int64_t{0});
    const json expiry = j.value("expiry", json::object());
    r.expiry.inactive_days = expiry.value("inactive_days", std::int64_t{0});
    r.expiry.lifetime_days = expiry.value("lifetime_days", std::int64_t{0});
    r.negative_policy = parse_negative_policy(j.value("negative_policy", "carry")).value_or(d.negative_policy);
}

std::string source_of(const std::string& body) {
    try {
        return json::parse(body).value("source", "config");
    } catch (const std::exception&) {
        return "config";
    }
}

// Content equality, whatever the version number and start.
bool same_program(Rules a, Rules b) {
    a.version = b.version = 0;
    a.effective_from = b.effective_from = 0;
    return a == b;
}

}  // namespace

std::string rules_to_json(const Rules& r, const std::string& source) {
    json rates = json::object();
    for (const auto& [currency, rate] : r.currency_rates) {
        rates[currency] = {{"points", rate.points}, {"per_units", rate.per_units}};
    }
    json j{{"earn_points", r.earn_rate.points},
           {"earn_per_units", r.earn_rate.per_units},
           {"earn_currency_rates", rates},
           {"earn_rounding", rounding_id(r.earn_rounding)},
           {"pending_mode", pending_mode_id(r.pending_mode)},
           {"pending_days", r.pending_days},
           {"redeem_points_per_unit", r.redeem_points_per_unit},
           {"redeem_minimum_points", r.redeem_minimum_points},
           {"source", source}};
    j.update(program_to_json(r));
    return j.dump();
}

Result<Rules> rules_from_json(const std::string& text) {
    try {
        const auto j = json::parse(text);
        Rules r;
        r.earn_rate = {j.at("earn_points").get<std::int64_t>(), j.at("earn_per_units").get<std::int64_t>()};
        for (const auto& [currency, rate] : j.at("earn_currency_rates").items()) {
            r.currency_rates[currency] = {rate.at("points").get<std::int64_t>(), rate.at("per_units").get<std::int64_t>()};
        }
        r.earn_rounding = parse_rounding(j.at("earn_rounding").get<std::string>()).value_or(Rounding::floor);
        r.pending_mode = parse_pending_mode(j.at("pending_mode").get<std::string>()).value_or(PendingMode::days_after_paid);
        r.pending_days = j.at("pending_days").get<std::int64_t>();
        r.redeem_points_per_unit = j.at("redeem_points_per_unit").get<std::int64_t>();
        r.redeem_minimum_points = j.at("redeem_minimum_points").get<std::int64_t>();
        program_from_json(j, r);
        return r;
    } catch (const std::exception& e) {
        return make_error(ErrorCode::invalid_rules, std::string("stored rules unreadable: ") + e.what());
    }
}

Result<std::vector<RuleVersion>> RuleRepository::history() {
    try {
        SQLite::Statement q(*m_db, "SELECT version, effective_from, body, created_at FROM rule_versions ORDER BY version");
        std::vector<RuleVersion> out;
        while (q.executeStep()) {
            const std::string body = q.getColumn(2).getString();
            auto rules = rules_from_json(body);
            if (!rules) return rules.error();
            rules->version = q.getColumn(0).getInt();
            rules->effective_from = q.getColumn(1).getInt64();
            out.push_back({*rules, q.getColumn(3).getInt64(), source_of(body)});
        }
        return out;
    } catch (const std::exception& e) {
        return make_error(ErrorCode::storage_unavailable, std::string("storage: ") + e.what());
    }
}

Result<RuleBook> RuleRepository::load() {
    auto versions = history();
    if (!versions) return versions.error();
    std::vector<Rules> rules;
    for (const auto& v : *versions) rules.push_back(v.rules);
    return RuleBook(std::move(rules));
}

Result<int> RuleRepository::ensure(Rules rules, Timestamp effective_from, Timestamp now) {
    auto versions = history();
    if (!versions) return versions.error();
    if (versions->empty()) return insert(rules, 0, now, "config");
    for (auto it = versions->rbegin(); it != versions->rend(); ++it) {
        if (it->source != "config") continue;
        if (same_program(it->rules, rules)) return versions->back().rules.version;
        break;
    }
    if (same_program(versions->back().rules, rules)) return versions->back().rules.version;
    return insert(rules, std::max(effective_from, versions->back().rules.effective_from), now, "config");
}

Result<int> RuleRepository::add(Rules rules, Timestamp effective_from, Timestamp now, const std::string& source) {
    auto versions = history();
    if (!versions) return versions.error();
    if (!versions->empty()) {
        const Rules& latest = versions->back().rules;
        if (same_program(latest, rules)) return latest.version;
        if (effective_from < latest.effective_from) {
            return make_error(ErrorCode::invalid_rules,
                              "effective_from " + format_timestamp(effective_from) + " is before version " +
                                  std::to_string(latest.version) + "'s " + format_timestamp(latest.effective_from),
                              "effective_from");
        }
    }
    return insert(rules, versions->empty() ? 0 : effective_from, now, source);
}

Result<int> RuleRepository::insert(const Rules& rules, Timestamp effective_from, Timestamp now,
                                   const std::string& source) {
    try {
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement latest(*m_db, "SELECT COALESCE(MAX(version), 0) FROM rule_versions");
        latest.executeStep();
        const int version = latest.getColumn(0).getInt() + 1;
        SQLite::Statement insert(*m_db, "INSERT INTO rule_versions (version, effective_from, body, created_at) "
                                        "VALUES (?, ?, ?, ?)");
        insert.bind(1, version);
        insert.bind(2, static_cast<std::int64_t>(effective_from));
        insert.bind(3, rules_to_json(rules, source));
        insert.bind(4, static_cast<std::int64_t>(now));
        insert.exec();
        tx.commit();
        return version;
    } catch (const std::exception& e) {
        return make_error(ErrorCode::storage_unavailable, std::string("storage: ") + e.what());
    }
}

}  // namespace rewardd
