// Shared set-up for the Shopify outbound tests: a config pointing at the fake, a shop added through
// the real CLI with --api-base, grants put straight into the daemon's durable outbox (as the
// ledger side does), and their state read back.
#pragma once

#include <doctest/doctest.h>

#include <fstream>

#include "fakes/fake_shopify.hpp"
#include "outbox/outbox_store.hpp"
#include "store/database.hpp"
#include "support/daemon_process.hpp"

namespace rewardd::test::shopify_out {

enum class Subscriptions { managed, unmanaged };  // unmanaged: no public_url, no keeper traffic

inline std::string write_config(const TempDir& dir, const std::string& extra = "",
                                Subscriptions subscriptions = Subscriptions::managed) {
    const std::string path = dir.str() + "/rewardd.conf";
    const bool managed = subscriptions == Subscriptions::managed;
    std::ofstream(path) << "data_dir = \"" << dir.str() << "\"\n"
                        << (managed ? "public_url = \"https://loyalty.example.com\"\n" : "")
                        << "shopify_timeout_ms = 1000\n"
                        // Sweeps of the fake's orders only where a test asks for them: they
                        // would add token and Admin API calls that other tests count.
                        << (extra.find("shopify_order_sweep_interval_s") == std::string::npos
                                ? "shopify_order_sweep_interval_s = 0\n"
                                : "")
                        << extra;
    return path;
}

inline CommandResult add_shop(const TempDir& dir, const std::string& api_base,
                              const FakeShopify::Options& fake = {}) {
    return run_rewardd({"shop", "add", "s1", "--platform", "shopify", "--domain", "jsmith.myshopify.com",
                        "--client-id", fake.client_id, "--client-secret", fake.client_secret, "--api-base", api_base,
                        "--config", dir.str() + "/rewardd.conf"});
}

inline std::shared_ptr<SQLite::Database> open_db(const TempDir& dir) {
    return std::make_shared<SQLite::Database>(database_path(dir.str()), SQLite::OPEN_READWRITE);
}

inline RewardGrant coupon_grant(const std::string& id, std::int64_t amount_minor = 1000) {
    RewardGrant g;
    g.grant_id = id;
    g.shop_id = "s1";
    g.kind = RewardKind::coupon;
    g.code = "RWD-" + id;
    g.amount_minor = amount_minor;
    g.currency = "USD";
    g.customer_email = "bob.norman@mail.example.com";
    g.customer_platform_id = "207119551";
    g.description = "redemption";
    return g;
}

// Cashback paid as Shopify store credit: no code.
inline RewardGrant store_credit_grant(const std::string& id, std::int64_t amount_minor) {
    RewardGrant g = coupon_grant(id, amount_minor);
    g.kind = RewardKind::store_credit;
    g.code.clear();
    return g;
}

inline void enqueue(const TempDir& dir, const RewardGrant& grant) {
    auto queued = OutboxStore(open_db(dir)).enqueue(grant, 1790000000);
    REQUIRE(queued);
    REQUIRE(*queued);
}

inline std::optional<OutboxItem> item(const TempDir& dir, const std::string& grant_id) {
    auto found = OutboxStore(open_db(dir)).find_by_grant(grant_id);
    return found ? *found : std::nullopt;
}

inline bool delivered(const TempDir& dir, const std::string& grant_id) {
    const auto it = item(dir, grant_id);
    return it && it->status == OutboxStatus::delivered;
}

inline std::vector<std::string> daemon_args(const TempDir& dir) {
    return {"--config", dir.str() + "/rewardd.conf"};
}

}  // namespace rewardd::test::shopify_out
