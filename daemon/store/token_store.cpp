// The api_tokens table (migration v4).
#include "token_store.hpp"
#include "database.hpp"

#include <SQLiteCpp/Statement.h>

namespace rewardd {
namespace {

constexpr const char* k_columns = "id, name, scope, created_at, revoked_at";

ApiToken read_token(SQLite::Statement& q) {
    ApiToken t;
    t.id = q.getColumn(0).getInt64();
    t.name = q.getColumn(1).getString();
    t.scope = parse_token_scope(q.getColumn(2).getString()).value_or(TokenScope::storefront);
    t.created_at = q.getColumn(3).getInt64();
    t.revoked_at = q.getColumn(4).getInt64();
    return t;
}

}  // namespace

const char* token_scope_id(TokenScope scope) {
    return scope == TokenScope::admin ? "admin" : "storefront";
}

std::optional<TokenScope> parse_token_scope(std::string_view id) {
    if (id == "admin") return TokenScope::admin;
    if (id == "storefront") return TokenScope::storefront;
    return std::nullopt;
}

bool scope_allows(TokenScope held, TokenScope needed) {
    return held == TokenScope::admin || needed == TokenScope::storefront;
}

Result<ApiToken> TokenStore::create(TokenScope scope, const std::string& name, const std::string& token_sha256,
                                    Timestamp now) {
    try {
        SQLite::Statement q(*m_db,
                            "INSERT INTO api_tokens (name, scope, token_sha256, created_at) VALUES (?, ?, ?, ?)");
        q.bind(1, name);
        q.bind(2, token_scope_id(scope));
        q.bind(3, token_sha256);
        q.bind(4, static_cast<std::int64_t>(now));
        q.exec();
        return ApiToken{m_db->getLastInsertRowid(), name, scope, now, 0};
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<std::optional<ApiToken>> TokenStore::find_valid(const std::string& token_sha256) {
    try {
        SQLite::Statement q(*m_db, std::string("SELECT ") + k_columns +
                                       " FROM api_tokens WHERE token_sha256 = ? AND revoked_at = 0");
        q.bind(1, token_sha256);
        if (!q.executeStep()) return std::optional<ApiToken>{};
        return std::optional<ApiToken>{read_token(q)};
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<std::vector<ApiToken>> TokenStore::list() {
    try {
        SQLite::Statement q(*m_db, std::string("SELECT ") + k_columns + " FROM api_tokens ORDER BY id");
        std::vector<ApiToken> out;
        while (q.executeStep()) out.push_back(read_token(q));
        return out;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

Result<bool> TokenStore::revoke(std::int64_t id, Timestamp now) {
    try {
        SQLite::Statement exists(*m_db, "SELECT 1 FROM api_tokens WHERE id = ?");
        exists.bind(1, id);
        if (!exists.executeStep()) return false;
        SQLite::Statement q(*m_db, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0");
        q.bind(1, static_cast<std::int64_t>(now));
        q.bind(2, id);
        q.exec();
        return true;
    } catch (const std::exception& e) {
        return storage_error(e);
    }
}

}  // namespace rewardd
