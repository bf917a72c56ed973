#include "store/customer_outlook.hpp"

#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>

#include "store/database.hpp"
#include "store/erased_ledger.hpp"

namespace rewardd {
namespace {

std::optional<std::vector<ExpiringPoints>> decode_expiring(const std::string& text) {
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (!doc.is_array()) return std::nullopt;
    std::vector<ExpiringPoints> out;
    out.reserve(doc.size());
    for (const auto& pair : doc) {
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number_integer() || !pair[1].is_number_integer()) {
            return std::nullopt;
        }
        out.push_back({pair[0].get<Timestamp>(), pair[1].get<std::int64_t>()});
    }
    return out;
}

}  // namespace

std::string keep_outlook_sql(std::string_view customer) {
    return std::string("INSERT OR REPLACE INTO customer_outlooks (customer, last_entry_seq, rules_version, walked_at, "
                       "expiring) VALUES (?1, (SELECT COALESCE(MAX(seq), 0) FROM ledger WHERE ") +
           customer_rows_sql(customer) + "), ?2, ?3, ?4)";
}

// Integers only, so written directly: an nlohmann document of pairs cost a few µs per customer
// walk, on every order.
std::string encode_expiring(const std::vector<ExpiringPoints>& expiring) {
    std::string text = "[";
    for (const auto& e : expiring) {
        if (text.size() > 1) text += ',';
        text += '[';
        text += std::to_string(e.at);
        text += ',';
        text += std::to_string(e.points);
        text += ']';
    }
    return text + "]";
}

Result<std::optional<std::vector<ExpiringPoints>>> kept_expiring(SQLite::Database& db, const std::string& customer,
                                                                int rules_version, Timestamp now) {
    using Answer = std::optional<std::vector<ExpiringPoints>>;
    try {
        SQLite::Statement q(db, std::string("SELECT o.rules_version, o.walked_at, o.expiring FROM customer_outlooks o "
                                            "WHERE o.customer = ?1 AND o.last_entry_seq = (SELECT COALESCE(MAX(seq), "
                                            "0) FROM ledger WHERE ") +
                                    customer_rows_sql(customer) + ")");
        q.bind(1, customer);
        if (!q.executeStep()) return Answer{};
        if (q.getColumn(0).getInt() != rules_version || q.getColumn(1).getInt64() > now) return Answer{};
        const auto kept = decode_expiring(q.getColumn(2).getString());
        if (!kept) return Answer{};
        return Answer{expiring_after(*kept, now)};
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

}  // namespace rewardd
