// `rewardd token create|list|revoke`: bearer tokens for /api/v1 (docs/API.md). A token is shown
// once, when it is made; the database keeps only its SHA-256.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "net/signature.hpp"
#include "store/token_store.hpp"

namespace rewardd {
namespace {

constexpr std::size_t k_token_random_chars = 40;  // [A-Za-z0-9]: about 238 bits
constexpr std::size_t k_name_chars_max = 100;

struct CreateOptions {
    CliContext context;
    std::string scope;
    std::string name;
};

int create_token(const CreateOptions& o) {
    const auto scope = parse_token_scope(o.scope);
    if (!scope) return fail(make_error(ErrorCode::invalid_field, "scope must be admin or storefront", "--scope"));
    if (o.name.size() > k_name_chars_max) {
        return fail(make_error(ErrorCode::invalid_field, "name is longer than 100 characters", "--name"));
    }
    auto db = o.context.open();
    if (!db) return fail(db.error());
    const std::string token = "rwd_" + random_token(k_token_random_chars);
    auto made = TokenStore(*db).create(*scope, o.name, sha256_hex(token), now_utc());
    if (!made) return fail(made.error());
    // The token is the last line, alone, so scripts can take it with `tail -1`.
    std::cout << "token " << made->id << " (" << token_scope_id(*scope) << ") created; it is shown only once:\n"
              << token << std::endl;
    return 0;
}

nlohmann::json token_json(const ApiToken& t) {
    return {{"id", t.id},
            {"name", t.name},
            {"scope", token_scope_id(t.scope)},
            {"created_at", format_timestamp(t.created_at)},
            {"revoked_at", t.revoked_at == 0 ? nlohmann::json(nullptr) : nlohmann::json(format_timestamp(t.revoked_at))}};
}

int list_tokens(const CliContext& context, bool json) {
    auto db = context.open();
    if (!db) return fail(db.error());
    auto tokens = TokenStore(*db).list();
    if (!tokens) return fail(tokens.error());
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : *tokens) out.push_back(token_json(t));
    if (json) {
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    if (tokens->empty()) std::cout << "no tokens\n";
    for (const auto& t : *tokens) {
        std::cout << t.id << "\t" << token_scope_id(t.scope) << "\t" << (t.revoked_at ? "revoked" : "active") << "\t"
                  << format_timestamp(t.created_at) << "\t" << t.name << "\n";
    }
    return 0;
}

int revoke_token(const CliContext& context, std::int64_t id) {
    auto db = context.open();
    if (!db) return fail(db.error());
    auto revoked = TokenStore(*db).revoke(id, now_utc());
    if (!revoked) return fail(revoked.error());
    if (!*revoked) return fail(make_error(ErrorCode::not_found, "no token " + std::to_string(id), "ID"));
    std::cout << "token " << id << " revoked\n";
    return 0;
}

}  // namespace

void register_token(CLI::App& app, int& exit_code) {
    auto* token = app.add_subcommand("token", "create, list and revoke /api/v1 bearer tokens");
    token->require_subcommand(1);

    auto create = std::make_shared<CreateOptions>();
    auto* create_cmd = token->add_subcommand("create", "make a token and print it once");
    create_cmd->add_option("--scope", create->scope, "admin | storefront")->required();
    create_cmd->add_option("--name", create->name, "a label, e.g. the shop or tool using it");
    create->context.add_options(*create_cmd);
    create_cmd->callback([create, &exit_code] { exit_code = create_token(*create); });

    auto list_context = std::make_shared<CliContext>();
    auto list_json = std::make_shared<bool>(false);
    auto* list_cmd = token->add_subcommand("list", "list tokens (never the tokens themselves)");
    list_cmd->add_flag("--json", *list_json, "JSON output");
    list_context->add_options(*list_cmd);
    list_cmd->callback([list_context, list_json, &exit_code] { exit_code = list_tokens(*list_context, *list_json); });

    auto revoke_context = std::make_shared<CliContext>();
    auto revoke_id = std::make_shared<std::int64_t>(0);
    auto* revoke_cmd = token->add_subcommand("revoke", "revoke a token at once");
    revoke_cmd->add_option("id", *revoke_id, "token id (from token list)")->required();
    revoke_context->add_options(*revoke_cmd);
    revoke_cmd->callback([revoke_context, revoke_id, &exit_code] {
        exit_code = revoke_token(*revoke_context, *revoke_id);
    });
}

}  // namespace rewardd
