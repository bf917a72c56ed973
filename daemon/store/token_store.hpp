// API tokens for /api/v1: a scope (admin or storefront), a name, and only the SHA-256 of the
// token itself, so a copy of the database does not give access. Hashing and the random token are
// the caller's business (daemon/net); this class only stores and finds.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/timestamp.hpp"

namespace rewardd {

// admin may call every route; storefront only the customer routes (docs/API.md).
enum class TokenScope { storefront, admin };
const char* token_scope_id(TokenScope scope);
std::optional<TokenScope> parse_token_scope(std::string_view id);
// True when a token of scope `held` may call a route that needs `needed`.
bool scope_allows(TokenScope held, TokenScope needed);

struct ApiToken {
    std::int64_t id = 0;
    std::string name;
    TokenScope scope = TokenScope::storefront;
    Timestamp created_at = 0;
    Timestamp revoked_at = 0;  // 0 while the token is valid
};

class TokenStore {
public:
    explicit TokenStore(std::shared_ptr<SQLite::Database> db) : m_db(std::move(db)) {}

    // Records a token by its SHA-256 (hex); returns the new token's record.
    Result<ApiToken> create(TokenScope scope, const std::string& name, const std::string& token_sha256,
                            Timestamp now);
    // The valid (not revoked) token with this hash, if any.
    Result<std::optional<ApiToken>> find_valid(const std::string& token_sha256);
    Result<std::vector<ApiToken>> list();
    // False when there is no such token; revoking a revoked token keeps its first revocation time.
    Result<bool> revoke(std::int64_t id, Timestamp now);

private:
    std::shared_ptr<SQLite::Database> m_db;
};

}  // namespace rewardd
