// Registered shops: platform, id, webhook secret and platform settings (address, credentials).
#pragma once

#include <SQLiteCpp/Database.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/timestamp.hpp"

namespace rewardd {

struct Shop {
    std::string id;
    std::string platform;  // woocommerce | shopify | custom
    std::string secret;
    std::map<std::string, std::string> settings;  // url, consumer_key, domain, ...
    Timestamp created_at = 0;
};

bool is_known_platform(const std::string& platform);
bool is_valid_shop_id(const std::string& id);  // [A-Za-z0-9_-]{1,64}

class ShopRegistry {
public:
    explicit ShopRegistry(std::shared_ptr<SQLite::Database> db) : m_db(std::move(db)) {}

    Result<bool> save(const Shop& shop);  // insert or replace
    Result<std::optional<Shop>> find(const std::string& id);
    Result<std::vector<Shop>> list();
    Result<bool> remove(const std::string& id);  // false when there was no such shop

private:
    std::shared_ptr<SQLite::Database> m_db;
};

// Each shop's platform, read once per shop: the applier's order preparers ask it for every event.
// A shop not registered yet is not remembered (it may be added while the daemon runs).
class ShopPlatforms {
public:
    explicit ShopPlatforms(std::shared_ptr<SQLite::Database> db) : m_registry(std::move(db)) {}

    Result<std::optional<std::string>> platform(const std::string& shop_id);

private:
    ShopRegistry m_registry;
    std::map<std::string, std::string> m_platform_of;
};

}  // namespace rewardd
