// SQL of the outbox. The grant travels as one JSON column so a platform can add fields without a
// migration; status and timing are columns because the worker queries them.
#include "outbox_store.hpp"

#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>

namespace rewardd {
namespace {

using nlohmann::json;

constexpr const char* k_columns =
    "id, grant_body, status, attempts, next_attempt_at_ms, last_error, platform_ref, created_at, "
    "updated_at";

template <typename F>
auto guarded(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::exception& e) {
        return make_error(ErrorCode::storage_unavailable, std::string("outbox storage: ") + e.what());
    }
}

std::string grant_to_json(const RewardGrant& g) {
    json doc{{"grant_id", g.grant_id}, {"shop_id", g.shop_id}, {"kind", reward_kind_id(g.kind)},
             {"code", g.code}, {"amount_minor", g.amount_minor}, {"currency", g.currency},
             {"customer_email", g.customer_email}, {"customer_platform_id", g.customer_platform_id},
             {"description", g.description}};
    doc["expires_at"] = g.expires_at ? json(*g.expires_at) : json(nullptr);
    if (g.minimum_subtotal_minor > 0) doc["minimum_subtotal_minor"] = g.minimum_subtotal_minor;
    return doc.dump();
}

RewardGrant grant_from_json(const std::string& text) {
    const json doc = json::parse(text);
    RewardGrant g;
    g.grant_id = doc.value("grant_id", "");
    g.shop_id = doc.value("shop_id", "");
    g.kind = parse_reward_kind(doc.value("kind", "coupon")).value_or(RewardKind::coupon);
    g.code = doc.value("code", "");
    g.amount_minor = doc.value("amount_minor", std::int64_t{0});
    g.currency = doc.value("currency", "");
    g.customer_email = doc.value("customer_email", "");
    g.customer_platform_id = doc.value("customer_platform_id", "");
    g.description = doc.value("description", "");
    g.minimum_subtotal_minor = doc.value("minimum_subtotal_minor", std::int64_t{0});  // absent before it existed
    if (doc.contains("expires_at") && doc["expires_at"].is_number_integer()) {
        g.expires_at = doc["expires_at"].get<Timestamp>();
    }
    return g;
}

std::vector<OutboxItem> read_items(SQLite::Statement& q) {
    std::vector<OutboxItem> out;
    while (q.executeStep()) {
        OutboxItem item;
        item.id = q.getColumn(0).getInt64();
        item.grant = grant_from_json(q.getColumn(1).getString());
        item.status = parse_outbox_status(q.getColumn(2).getString()).value_or(OutboxStatus::parked);
        item.attempts = q.getColumn(3).getInt();
        item.next_attempt_at_ms = q.getColumn(4).getInt64();
        item.last_error = q.getColumn(5).getString();
        item.platform_ref = q.getColumn(6).getString();
        item.created_at = q.getColumn(7).getInt64();
        item.updated_at = q.getColumn(8).getInt64();
        out.push_back(std::move(item));
    }
    return out;
}

Result<std::optional<OutboxItem>> first_of(SQLite::Statement& q) {
    auto items = read_items(q);
    if (items.empty()) return std::optional<OutboxItem>{};
    return std::optional<OutboxItem>{std::move(items.front())};
}

}  // namespace

Result<bool> OutboxStore::enqueue(const RewardGrant& grant, Timestamp now) {
    return guarded([&]() -> Result<bool> {
        SQLite::Statement q(*m_db,
                            "INSERT OR IGNORE INTO outbox (grant_id, shop_id, kind, grant_body, status, "
                            "attempts, next_attempt_at_ms, created_at, updated_at) "
                            "VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)");
        q.bind(1, grant.grant_id);
        q.bind(2, grant.shop_id);
        q.bind(3, reward_kind_id(grant.kind));
        q.bind(4, grant_to_json(grant));
        q.bind(5, static_cast<std::int64_t>(now) * 1000);
        q.bind(6, static_cast<std::int64_t>(now));
        q.bind(7, static_cast<std::int64_t>(now));
        return q.exec() == 1;
    });
}

Result<std::vector<OutboxItem>> OutboxStore::due(std::int64_t now_ms, std::size_t limit) {
    return guarded([&]() -> Result<std::vector<OutboxItem>> {
        SQLite::Statement q(*m_db, std::string("SELECT ") + k_columns +
                                       " FROM outbox WHERE status = 'pending' AND next_attempt_at_ms <= ?"
                                       " ORDER BY next_attempt_at_ms, id LIMIT ?");
        q.bind(1, now_ms);
        q.bind(2, static_cast<std::int64_t>(limit));
        return read_items(q);
    });
}

Result<std::vector<OutboxItem>> OutboxStore::list(std::optional<OutboxStatus> status) {
    return guarded([&]() -> Result<std::vector<OutboxItem>> {
        SQLite::Statement q(*m_db, std::string("SELECT ") + k_columns +
                                       " FROM outbox WHERE (? = '' OR status = ?) ORDER BY id");
        const std::string s = status ? outbox_status_id(*status) : "";
        q.bind(1, s);
        q.bind(2, s);
        return read_items(q);
    });
}

Result<std::optional<OutboxItem>> OutboxStore::find(std::int64_t id) {
    return guarded([&]() -> Result<std::optional<OutboxItem>> {
        SQLite::Statement q(*m_db, std::string("SELECT ") + k_columns + " FROM outbox WHERE id = ?");
        q.bind(1, id);
        return first_of(q);
    });
}

Result<std::optional<OutboxItem>> OutboxStore::find_by_grant(const std::string& grant_id) {
    return guarded([&]() -> Result<std::optional<OutboxItem>> {
        SQLite::Statement q(*m_db, std::string("SELECT ") + k_columns + " FROM outbox WHERE grant_id = ?");
        q.bind(1, grant_id);
        return first_of(q);
    });
}

Result<std::optional<OutboxItem>> OutboxStore::find_by_code(const std::string& shop_id, const std::string& code) {
    return guarded([&]() -> Result<std::optional<OutboxItem>> {
        SQLite::Statement q(*m_db, std::string("SELECT ") + k_columns +
                                       " FROM outbox WHERE shop_id = ? AND json_extract(grant_body, '$.code') = ?");
        q.bind(1, shop_id);
        q.bind(2, code);
        return first_of(q);
    });
}

Result<bool> OutboxStore::mark_delivered(std::int64_t id, const std::string& platform_ref, Timestamp now) {
    return guarded([&]() -> Result<bool> {
        SQLite::Statement q(*m_db,
                            "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, "
                            "platform_ref = ?, last_error = '', updated_at = ? WHERE id = ?");
        q.bind(1, platform_ref);
        q.bind(2, static_cast<std::int64_t>(now));
        q.bind(3, id);
        return q.exec() == 1;
    });
}

Result<bool> OutboxStore::mark_retry(std::int64_t id, std::int64_t next_attempt_at_ms, const std::string& why,
                                     Timestamp now) {
    return guarded([&]() -> Result<bool> {
        SQLite::Statement q(*m_db,
                            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at_ms = ?, "
                            "last_error = ?, updated_at = ? WHERE id = ? AND status = 'pending'");
        q.bind(1, next_attempt_at_ms);
        q.bind(2, why);
        q.bind(3, static_cast<std::int64_t>(now));
        q.bind(4, id);
        return q.exec() == 1;
    });
}

Result<bool> OutboxStore::park(std::int64_t id, const std::string& why, Timestamp now) {
    return guarded([&]() -> Result<bool> {
        SQLite::Statement q(*m_db,
                            "UPDATE outbox SET status = 'parked', attempts = attempts + 1, last_error = ?, "
                            "updated_at = ? WHERE id = ? AND status = 'pending'");
        q.bind(1, why);
        q.bind(2, static_cast<std::int64_t>(now));
        q.bind(3, id);
        return q.exec() == 1;
    });
}

Result<bool> OutboxStore::requeue(std::int64_t id, std::int64_t now_ms, Timestamp now) {
    return make_due(id, now_ms, now, "status != 'delivered'");
}

Result<bool> OutboxStore::redeliver(std::int64_t id, std::int64_t now_ms, Timestamp now) {
    return make_due(id, now_ms, now, "status = 'delivered'");
}

Result<bool> OutboxStore::make_due(std::int64_t id, std::int64_t now_ms, Timestamp now, const char* condition) {
    return guarded([&]() -> Result<bool> {
        SQLite::Statement q(*m_db, std::string("UPDATE outbox SET status = 'pending', attempts = 0, "
                                               "next_attempt_at_ms = ?, updated_at = ? WHERE id = ? AND ") +
                                       condition);
        q.bind(1, now_ms);
        q.bind(2, static_cast<std::int64_t>(now));
        q.bind(3, id);
        return q.exec() == 1;
    });
}

}  // namespace rewardd
