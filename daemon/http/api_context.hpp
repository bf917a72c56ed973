// What the /api/v1 route handlers share: their database connection, the shop cache the intake
// uses (told about every change made here), the engine with its rules, the clock and the version.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/reward_engine.hpp"
#include "http/api_database.hpp"
#include "http/shop_directory.hpp"

namespace rewardd {

struct ApiContext {
    ApiDatabase& db;
    ShopDirectory& shops;
    std::shared_ptr<const RewardEngine> engine;
    std::function<Timestamp()> clock;
    std::string version;
};

}  // namespace rewardd
