// SQL for privacy requests, erasure and export (tables privacy_requests, erased_customers, v3).
#include "privacy_store.hpp"
#include "shopify_customers.hpp"
#include "database.hpp"
#include "erased_ledger.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <set>

#include "core/wakeup_kinds.hpp"

namespace rewardd {
namespace {

using nlohmann::json;

// True when `c` (an EVENTS.md customer object) is the target: same e-mail, or the same platform
// customer id in the target's shop.
std::string text(const json& obj, const char* key) {
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// The customer object of a stored event: order.customer, or the top-level customer.
json event_customer(const json& body) {
    const auto order = body.find("order");
    if (order != body.end() && order->is_object() && order->contains("customer")) return order->at("customer");
    const auto c = body.find("customer");
    return c != body.end() ? *c : json();
}

bool is_target(const json& c, const PrivacyTarget& t, const std::string& event_shop) {
    if (!c.is_object()) return false;
    const std::string email = text(c, "email");
    const std::string id = text(c, "id");
    if (!t.email.empty() && email == t.email) return true;
    return !t.customer_id.empty() && id == t.customer_id && event_shop == t.shop_id;
}

bool scrub_customer(json& c, const PrivacyTarget& t, const std::string& shop, const std::string& pseudonym) {
    if (!is_target(c, t, shop)) return false;
    c["email"] = pseudonym;
    c["id"] = nullptr;
    return true;
}

json entry_row(SQLite::Statement& q) {
    return {{"key", q.getColumn(0).getString()}, {"kind", q.getColumn(1).getString()},
            {"pending_delta", q.getColumn(2).getInt64()}, {"available_delta", q.getColumn(3).getInt64()},
            {"shop_id", q.getColumn(4).getString()}, {"order_id", q.getColumn(5).getString()},
            {"effective_at", q.getColumn(6).getInt64()}, {"reason", q.getColumn(7).getString()}};
}

}  // namespace

Result<std::int64_t> PrivacyStore::enqueue(const PrivacyRequest& r) {
    try {
        SQLite::Statement q(m_db,
                            "INSERT INTO privacy_requests (shop_id, topic, webhook_id, body, status, received_at) "
                            "VALUES (?, ?, ?, ?, 'pending', ?)");
        q.bind(1, r.shop_id);
        q.bind(2, r.topic);
        q.bind(3, r.webhook_id);
        q.bind(4, r.body);
        q.bind(5, static_cast<std::int64_t>(r.received_at));
        q.exec();
        return m_db.getLastInsertRowid();
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<std::vector<PrivacyRequest>> PrivacyStore::pending(std::size_t limit) {
    try {
        SQLite::Statement q(m_db,
                            "SELECT id, shop_id, topic, webhook_id, body, received_at FROM privacy_requests "
                            "WHERE status = 'pending' ORDER BY id LIMIT ?");
        q.bind(1, static_cast<std::int64_t>(limit));
        std::vector<PrivacyRequest> out;
        while (q.executeStep()) {
            out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                           q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getInt64()});
        }
        return out;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<bool> PrivacyStore::finish(std::int64_t id, const std::string& status, const std::string& detail,
                                  Timestamp now) {
    try {
        // The body names the person; once the request is carried out it is no longer needed.
        SQLite::Statement q(m_db,
                            "UPDATE privacy_requests SET status = ?, detail = ?, done_at = ?, body = '' WHERE id = ?");
        q.bind(1, status);
        q.bind(2, detail);
        q.bind(3, static_cast<std::int64_t>(now));
        q.bind(4, id);
        return q.exec() > 0;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

std::vector<std::string> PrivacyStore::customer_keys(const PrivacyTarget& t) {
    std::vector<std::string> keys;
    if (!t.email.empty()) keys.push_back(t.email);
    if (!t.customer_id.empty()) keys.push_back("shop:" + t.shop_id + ":customer:" + t.customer_id);
    return keys;
}

Result<std::int64_t> PrivacyStore::scrub_events(const PrivacyTarget& t, const std::string& pseudonym) {
    struct Scrubbed {
        std::int64_t seq;
        std::string body;
        std::string id;
    };
    std::vector<Scrubbed> changed;
    SQLite::Statement q(m_db, "SELECT seq, shop_id, body FROM events WHERE instr(body, ?) > 0 OR instr(body, ?) > 0");
    q.bind(1, t.email.empty() ? std::string("\x01") : "\"" + t.email + "\"");
    q.bind(2, t.customer_id.empty() ? std::string("\x01") : "\"" + t.customer_id + "\"");
    while (q.executeStep()) {
        json body = json::parse(q.getColumn(2).getString(), nullptr, false);
        if (!body.is_object()) continue;
        const std::string shop = q.getColumn(1).getString();
        bool hit = false;
        if (body.contains("order") && body["order"].is_object() && body["order"].contains("customer")) {
            hit = scrub_customer(body["order"]["customer"], t, shop, pseudonym) || hit;
        }
        if (body.contains("customer")) hit = scrub_customer(body["customer"], t, shop, pseudonym) || hit;
        // An imported balance's event id names its customer ("import-<source>-<e-mail>").
        const std::string id = body.value("id", json()).is_string() ? body["id"].get<std::string>() : "";
        std::string renamed = id;
        replace_customer_segment(renamed, t.email, pseudonym);
        if (renamed != id) body["id"] = renamed;
        if (hit) changed.push_back({q.getColumn(0).getInt64(), body.dump(), renamed != id ? renamed : ""});
    }
    SQLite::Statement update(m_db, "UPDATE events SET body = ?, event_id = CASE WHEN ?3 = '' THEN event_id ELSE ?3 END "
                                   "WHERE seq = ?4");
    for (const auto& c : changed) {
        update.bind(1, c.body);
        update.bind(3, c.id);
        update.bind(4, c.seq);
        update.exec();
        update.reset();
    }
    return static_cast<std::int64_t>(changed.size());
}

Result<bool> PrivacyStore::knows(const PrivacyTarget& target) {
    try {
        for (const auto& key : customer_keys(target)) {
            SQLite::Statement q(m_db, "SELECT EXISTS (SELECT 1 FROM customers WHERE key = ?1) OR "
                                      "EXISTS (SELECT 1 FROM ledger WHERE customer = ?1)");
            q.bind(1, key);
            if (q.executeStep() && q.getColumn(0).getInt() != 0) return true;
        }
        return false;
    } catch (const SQLite::Exception& e) {
        return make_error(ErrorCode::storage_unavailable, e.what());
    }
}

Result<ErasureOutcome> PrivacyStore::erase_customer(const PrivacyTarget& target, const std::string& reason,
                                                    const PseudonymMaker& make_pseudonym, Timestamp now) {
    try {
        SQLite::Transaction tx(m_db);
        ErasureOutcome out;
        const std::string pseudonym = make_pseudonym();
        out.events_scrubbed = *scrub_events(target, pseudonym);
        int n = 0;
        for (const auto& key : customer_keys(target)) {
            // The same pseudonym for both keys would break customers.key uniqueness: number them.
            const std::string alias = n++ == 0 ? pseudonym : "erased+" + std::to_string(n) + "-" + pseudonym;
            SQLite::Statement ins(m_db,
                                  "INSERT OR IGNORE INTO erased_customers (customer, pseudonym, shop_id, reason, "
                                  "erased_at) VALUES (?, ?, ?, ?, ?)");
            ins.bind(1, key);
            ins.bind(2, alias);
            ins.bind(3, target.shop_id);
            ins.bind(4, reason);
            ins.bind(5, static_cast<std::int64_t>(now));
            ins.exec();
            SQLite::Statement rename(m_db, "UPDATE OR IGNORE customers SET key = ?, email = '' WHERE key = ?");
            rename.bind(1, alias);
            rename.bind(2, key);
            rename.exec();
            SQLite::Statement blank(m_db, "UPDATE customers SET email = '' WHERE key = ?");
            blank.bind(1, key);
            blank.exec();
            if (auto forgot = ShopifyCustomers(m_db).forget(key); !forgot) return forgot.error();
            // The customer's own walk (tiers, expiry) goes on under the pseudonym, over the same
            // books; left under the old key it would write there and re-create the e-mail's record.
            SQLite::Statement walk(m_db, "UPDATE OR REPLACE wakeups SET order_id = ? WHERE shop_id = ? AND order_id = ?");
            walk.bind(1, alias);
            walk.bind(2, std::string(k_customer_wakeup_shop));
            walk.bind(3, key);
            walk.exec();
            // The outlook its walk kept (no personal data but the key) holds for the same books.
            SQLite::Statement outlook(m_db, "UPDATE OR REPLACE customer_outlooks SET customer = ? WHERE customer = ?");
            outlook.bind(1, alias);
            outlook.bind(2, key);
            outlook.exec();
            out.pseudonyms.push_back(alias);
        }
        tx.commit();
        return out;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<ErasureOutcome> PrivacyStore::erase_shop_customers(const std::string& shop_id,
                                                          const PseudonymMaker& make_pseudonym, Timestamp now) {
    std::set<std::pair<std::string, std::string>> people;  // (email, platform id)
    try {
        SQLite::Statement q(m_db, "SELECT body FROM events WHERE shop_id = ?");
        q.bind(1, shop_id);
        while (q.executeStep()) {
            const json body = json::parse(q.getColumn(0).getString(), nullptr, false);
            if (!body.is_object()) continue;
            const json c = event_customer(body);
            if (!c.is_object()) continue;
            const std::string email = text(c, "email");
            const std::string id = text(c, "id");
            if (is_erasure_pseudonym(email)) continue;  // erased before
            if (!email.empty() || !id.empty()) people.emplace(email, id);
        }
        ErasureOutcome total;
        if (auto forgot = ShopifyCustomers(m_db).forget_shop(shop_id); !forgot) return forgot.error();
        for (const auto& [email, id] : people) {
            SQLite::Statement other(m_db, "SELECT 1 FROM events WHERE shop_id <> ? AND instr(body, ?) > 0 LIMIT 1");
            other.bind(1, shop_id);
            other.bind(2, "\"" + email + "\"");
            if (!email.empty() && other.executeStep()) continue;  // still a customer of another shop
            auto erased = erase_customer({shop_id, id, email}, "shopify shop/redact", make_pseudonym, now);
            if (!erased) return erased.error();
            total.events_scrubbed += erased->events_scrubbed;
            for (auto& p : erased->pseudonyms) total.pseudonyms.push_back(std::move(p));
        }
        return total;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<nlohmann::json> PrivacyStore::export_customer(const PrivacyTarget& target) {
    try {
        json out{{"shop_id", target.shop_id}, {"customer_id", target.customer_id}, {"email", target.email}};
        json entries = json::array();
        for (const auto& key : customer_keys(target)) {
            SQLite::Statement q(m_db,
                                "SELECT key, kind, pending_delta, available_delta, shop_id, order_id, effective_at, "
                                "reason FROM ledger WHERE customer = ? ORDER BY seq");
            q.bind(1, key);
            while (q.executeStep()) entries.push_back(entry_row(q));
        }
        out["ledger"] = entries;
        json events = json::array();
        SQLite::Statement q(m_db, "SELECT shop_id, body FROM events WHERE instr(body, ?) > 0 OR instr(body, ?) > 0 ORDER BY seq");
        q.bind(1, target.email.empty() ? std::string("\x01") : "\"" + target.email + "\"");
        q.bind(2, target.customer_id.empty() ? std::string("\x01") : "\"" + target.customer_id + "\"");
        while (q.executeStep()) {
            const json body = json::parse(q.getColumn(1).getString(), nullptr, false);
            if (!body.is_object()) continue;
            if (is_target(event_customer(body), target, q.getColumn(0).getString())) events.push_back(body);
        }
        out["events"] = events;
        return out;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

}  // namespace rewardd
