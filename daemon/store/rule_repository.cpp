// JSON form of rules and the rule_versions table.
#include "rule_repository.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <nlohmann/json.hpp>

namespace rewardd {

std::string rules_to_json(const Rules& r) {
    nlohmann::json rates = nlohmann::json::object();
    for (const auto& [currency, rate] : r.currency_rates) {
        rates[currency] = {{"points", rate.points}, {"per_units", rate.per_units}};
    }
    return nlohmann::json{{"earn_points", r.earn_rate.points},
                          {"earn_per_units", r.earn_rate.per_units},
                          {"earn_currency_rates", rates},
                          {"earn_rounding", rounding_id(r.earn_rounding)},
                          {"pending_mode", pending_mode_id(r.pending_mode)},
                          {"pending_days", r.pending_days},
                          {"redeem_points_per_unit", r.redeem_points_per_unit},
                          {"redeem_minimum_points", r.redeem_minimum_points}}
        .dump();
}

Result<Rules> rules_from_json(const std::string& text) {
    try {
        const auto j = nlohmann::json::parse(text);
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
        return r;
    } catch (const std::exception& e) {
        return make_error(ErrorCode::invalid_rules, std::string("stored rules unreadable: ") + e.what());
    }
}

Result<RuleBook> RuleRepository::load() {
    try {
        SQLite::Statement q(*m_db, "SELECT version, effective_from, body FROM rule_versions ORDER BY version");
        std::vector<Rules> versions;
        while (q.executeStep()) {
            auto rules = rules_from_json(q.getColumn(2).getString());
            if (!rules) return rules.error();
            rules->version = q.getColumn(0).getInt();
            rules->effective_from = q.getColumn(1).getInt64();
            versions.push_back(*rules);
        }
        return RuleBook(std::move(versions));
    } catch (const std::exception& e) {
        return make_error(ErrorCode::storage_unavailable, std::string("storage: ") + e.what());
    }
}

Result<int> RuleRepository::ensure(Rules rules, Timestamp effective_from, Timestamp now) {
    try {
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement latest(*m_db, "SELECT version, body FROM rule_versions ORDER BY version DESC LIMIT 1");
        int version = 0;
        if (latest.executeStep()) {
            version = latest.getColumn(0).getInt();
            if (latest.getColumn(1).getString() == rules_to_json(rules)) return version;
        }
        SQLite::Statement insert(*m_db, "INSERT INTO rule_versions (version, effective_from, body, created_at) "
                                        "VALUES (?, ?, ?, ?)");
        insert.bind(1, version + 1);
        insert.bind(2, static_cast<std::int64_t>(version == 0 ? 0 : effective_from));
        insert.bind(3, rules_to_json(rules));
        insert.bind(4, static_cast<std::int64_t>(now));
        insert.exec();
        tx.commit();
        return version + 1;
    } catch (const std::exception& e) {
        return make_error(ErrorCode::storage_unavailable, std::string("storage: ") + e.what());
    }
}

}  // namespace rewardd
