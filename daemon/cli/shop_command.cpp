// `rewardd shop add|list|remove`: registering shops with their secrets and platform settings.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/cli_context.hpp"
#include "cli/commands.hpp"
#include "cli/shop_check.hpp"
#include "cli/shopify_shop_setup.hpp"
#include "store/shop_registry.hpp"

namespace rewardd {
namespace {

struct ShopAddOptions {
    CliContext context;
    Shop shop;
    std::map<std::string, std::string> flags;  // option name -> value
};

// Secrets are never printed back in full.
std::string masked(const std::string& secret) {
    return secret.size() <= 4 ? "****" : secret.substr(0, 4) + "…";
}

int add_shop(ShopAddOptions& o) {
    if (!is_valid_shop_id(o.shop.id)) {
        return fail(make_error(ErrorCode::invalid_field, "shop id must be 1-64 of [A-Za-z0-9_-]", "ID"));
    }
    if (!is_known_platform(o.shop.platform)) {
        return fail(make_error(ErrorCode::invalid_field, "platform must be woocommerce, shopify or custom", "--platform"));
    }
    for (const auto& [key, value] : o.flags) {
        if (!value.empty()) o.shop.settings[key] = value;
    }
    if (o.shop.platform == "shopify") {
        if (auto bad = prepare_shopify_shop(o.shop)) return fail(*bad);
    }
    if (o.shop.secret.size() < 8) {
        return fail(make_error(ErrorCode::invalid_field, "secret must be at least 8 characters", "--secret"));
    }
    auto db = o.context.open();
    if (!db) return fail(db.error());
    o.shop.created_at = now_utc();
    ShopRegistry registry(*db);
    if (auto saved = registry.save(o.shop); !saved) return fail(saved.error());
    std::cout << "shop " << o.shop.id << " (" << o.shop.platform << ") saved\n";
    if (o.shop.platform == "shopify") {
        auto config = o.context.config();
        if (!config) return fail(config.error());
        return connect_shopify_shop(o.shop, *config);
    }
    return 0;
}

int list_shops(const CliContext& context, bool json) {
    auto db = context.open();
    if (!db) return fail(db.error());
    auto shops = ShopRegistry(*db).list();
    if (!shops) return fail(shops.error());
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : *shops) {
        nlohmann::json settings = nlohmann::json::object();
        for (const auto& [k, v] : s.settings) {
            const bool secret = k.find("secret") != std::string::npos || k == "token";
            settings[k] = secret ? masked(v) : v;
        }
        out.push_back({{"id", s.id}, {"platform", s.platform}, {"secret", masked(s.secret)}, {"settings", settings}});
    }
    if (json) {
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    if (out.empty()) std::cout << "no shops registered\n";
    for (const auto& s : out) std::cout << s["id"].get<std::string>() << "\t" << s["platform"].get<std::string>() << "\n";
    return 0;
}

}  // namespace

void register_shop(CLI::App& app, int& exit_code) {
    auto* shop = app.add_subcommand("shop", "register, list and remove shops");
    shop->require_subcommand(1);

    auto add = std::make_shared<ShopAddOptions>();
    auto* add_cmd = shop->add_subcommand("add", "register a shop (or replace its settings)");
    add_cmd->add_option("id", add->shop.id, "shop id")->required();
    add_cmd->add_option("--platform", add->shop.platform, "woocommerce | shopify | custom")->required();
    add_cmd->add_option("--secret", add->shop.secret, "webhook/event signing secret (Shopify: the client secret)");
    for (const char* name : {"url", "consumer-key", "consumer-secret", "domain", "client-id", "client-secret", "token",
                             "status-map", "currency", "cashback-as"}) {
        std::string key(name);
        std::replace(key.begin(), key.end(), '-', '_');
        add_cmd->add_option(std::string("--") + name, add->flags[key]);
    }
    // Tests point a Shopify shop's Admin API at a local fake; hidden from --help.
    add_cmd->add_option("--api-base", add->flags["api_base"])->group("");
    add->context.add_options(*add_cmd);
    add_cmd->callback([add, &exit_code] { exit_code = add_shop(*add); });

    auto list_context = std::make_shared<CliContext>();
    auto list_json = std::make_shared<bool>(false);
    auto* list_cmd = shop->add_subcommand("list", "list registered shops");
    list_cmd->add_flag("--json", *list_json, "JSON output");
    list_context->add_options(*list_cmd);
    list_cmd->callback([list_context, list_json, &exit_code] { exit_code = list_shops(*list_context, *list_json); });

    register_shop_check(*shop, exit_code);

    auto remove_context = std::make_shared<CliContext>();
    auto remove_id = std::make_shared<std::string>();
    auto* remove_cmd = shop->add_subcommand("remove", "remove a shop (its ledger history stays)");
    remove_cmd->add_option("id", *remove_id, "shop id")->required();
    remove_context->add_options(*remove_cmd);
    remove_cmd->callback([remove_context, remove_id, &exit_code] {
        auto db = remove_context->open();
        if (!db) {
            exit_code = fail(db.error());
            return;
        }
        auto removed = ShopRegistry(*db).remove(*remove_id);
        if (!removed) {
            exit_code = fail(removed.error());
        } else if (!*removed) {
            exit_code = fail(make_error(ErrorCode::not_found, "no shop " + *remove_id));
        } else {
            std::cout << "shop " << *remove_id << " removed\n";
            exit_code = 0;
        }
    });
}

}  // namespace rewardd
