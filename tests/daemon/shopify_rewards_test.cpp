// Shopify rewards end to end: signed orders/paid webhooks into the real daemon, points released,
// due cashback delivered to the fake Shopify exactly once as a customer-restricted discount code or
// as store credit (under a 503, a lost answer and a daemon kill), redemption as a discount code,
// and the customer's balance and tier metafields written once per burst of orders.
#include "daemon/shopify_outbound_support.hpp"
#include "daemon/shopify_support.hpp"

#include <ctime>

#include "core/timestamp.hpp"

using namespace rewardd;
using namespace rewardd::test;
namespace sh = rewardd::test::shopify;
using shopify_out::delivered;
using shopify_out::item;

namespace {

const std::string k_bob = "bob.norman@mail.example.com";
const std::string k_bob_gid = "gid://shopify/Customer/207119551";
const std::string k_cashback_grant = "s1:order:450789469:cashback:due";

// Rules in force since 2000: points released at once (pending_days 0), 5 %
// cashback, 100 points per 1.00 redeemed, and a tier the customer reaches with their first order.
void set_rules(const TempDir& dir) {
    const std::string path = dir.str() + "/rules.toml";
    std::ofstream(path) << "effective_from = \"2000-01-01T00:00:00Z\"\npending_days = 0\n"
                        << "redeem_points_per_unit = 100\nredeem_minimum_points = 100\n"
                        << "[[tiers]]\nname = \"silver\"\nthreshold = \"100.00\"\nmultiplier = 1\n"
                        << "[cashback]\nrate = 5\n";
    const auto set = run_rewardd({"rules", "set", path, "--config", dir.str() + "/rewardd.conf"});
    REQUIRE_MESSAGE(set.exit_code == 0, set.err);
}

// A config for the fake (no subscriptions managed: only reward traffic) and the shop added to it.
void prepare(const TempDir& dir, const FakeShopify& fake, const std::string& extra_config,
             std::vector<std::string> shop_args = {}) {
    shopify_out::write_config(dir, "outbox_retry_base_ms = 100\noutbox_poll_interval_ms = 100\n" + extra_config,
                              shopify_out::Subscriptions::unmanaged);
    std::vector<std::string> args{"shop", "add", "s1", "--platform", "shopify", "--domain", sh::k_domain,
                                  "--client-id", "fake-client-id", "--client-secret", FakeShopify::Options{}.client_secret,
                                  "--api-base", fake.base_url(), "--config", dir.str() + "/rewardd.conf"};
    args.insert(args.end(), shop_args.begin(), shop_args.end());
    const auto added = run_rewardd(args);
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    set_rules(dir);
}

// The fixture order with its own id, paid a day ago (inside the tier window, unlike its 2008 dates).
std::string order_body(std::int64_t order_id) {
    auto order = nlohmann::json::parse(sh::fixture("orders-paid.json"));
    const std::string paid_at = format_timestamp(static_cast<Timestamp>(std::time(nullptr)) - k_seconds_per_day);
    for (const char* field : {"created_at", "updated_at", "processed_at"}) order[field] = paid_at;
    order["id"] = order_id;
    order["admin_graphql_api_id"] = "gid://shopify/Order/" + std::to_string(order_id);
    return order.dump();
}

void post_paid(const DaemonProcess& daemon, std::int64_t order_id) {
    const auto res = sh::post_signed(daemon, "orders/paid", order_body(order_id),
                                          "paid-" + std::to_string(order_id), FakeShopify::Options{}.client_secret);
    REQUIRE(res);
    REQUIRE(res->status == 200);
}

// Shopify's Decimal text for USD minor units, as the fake keeps it ("29.35", "12.5").
std::string usd(std::int64_t minor, bool trim) {
    std::string cents = std::to_string(minor % 100);
    if (cents.size() == 1) cents = "0" + cents;
    std::string out = std::to_string(minor / 100) + "." + cents;
    if (trim && out.back() == '0') out.pop_back();
    return out;
}

std::int64_t cashback_due_minor(const TempDir& dir) {
    return sh::query_int(dir.str(), "SELECT COALESCE(SUM(base_minor), 0) FROM ledger WHERE kind = 'cashback_due'");
}

std::int64_t available(const TempDir& dir) {
    return sh::query_int(dir.str(), "SELECT COALESCE(SUM(available_delta), 0) FROM ledger WHERE customer = '" +
                                             k_bob + "'");
}

std::int64_t queued_metafield_writes(const TempDir& dir) {
    return sh::query_int(dir.str(), "SELECT COUNT(*) FROM shopify_metafield_queue");
}

}  // namespace

TEST_CASE("due cashback becomes one discount code for the Shopify customer despite a 503 and a kill") {
    TempDir dir;
    FakeShopify fake;
    prepare(dir, fake, "shopify_metafield_quiet_ms = 600000\nshopify_metafield_max_delay_ms = 600000\n");
    fake.fail_next(1, 503);
    fake.hang_after_commit(1, 10000);  // the retry's create lands on Shopify, its answer never comes
    {
        DaemonProcess daemon(dir.str(), shopify_out::daemon_args(dir));
        post_paid(daemon, 450789469);
        REQUIRE(FakeShopify::wait_until([&] { return fake.hangs_started() == 1; }, 20000));
        daemon.kill_hard();
    }
    fake.release_hangs();
    REQUIRE(cashback_due_minor(dir) > 0);
    CHECK_FALSE(delivered(dir, k_cashback_grant));
    DaemonProcess restarted(dir.str(), shopify_out::daemon_args(dir));
    REQUIRE(FakeShopify::wait_until([&] { return delivered(dir, k_cashback_grant); }, 20000));
    const auto codes = fake.discounts();
    REQUIRE(codes.size() == 1);
    CHECK(codes[0].code.rfind("CB-", 0) == 0);
    CHECK(codes[0].code == item(dir, k_cashback_grant)->grant.code);
    CHECK(codes[0].customer == k_bob_gid);
    CHECK(codes[0].amount == usd(cashback_due_minor(dir), false));
    CHECK(codes[0].usage_limit == 1);
    CHECK(item(dir, k_cashback_grant)->platform_ref == codes[0].id);
    CHECK(fake.operations("discountCodeBasicCreate") == 2);  // the one after the restart was TAKEN: ours
    CHECK(fake.credits().empty());
}

TEST_CASE("a shop that pays cashback as store credit gets one credit, even when the answer is lost") {
    TempDir dir;
    FakeShopify fake;
    prepare(dir, fake, "shopify_metafield_quiet_ms = 600000\nshopify_metafield_max_delay_ms = 600000\n",
            {"--cashback-as", "store-credit"});
    fake.hang_after_commit(1, 2500);  // longer than shopify_timeout_ms: the credit exists, rewardd can't tell
    DaemonProcess daemon(dir.str(), shopify_out::daemon_args(dir));
    post_paid(daemon, 450789469);
    REQUIRE(FakeShopify::wait_until([&] { return delivered(dir, k_cashback_grant); }, 20000));
    const auto credits = fake.credits();
    REQUIRE(credits.size() == 1);
    CHECK(credits[0].customer == k_bob_gid);
    CHECK(credits[0].currency == "USD");
    CHECK(credits[0].amount == usd(cashback_due_minor(dir), true));
    CHECK(item(dir, k_cashback_grant)->grant.kind == RewardKind::store_credit);
    CHECK(item(dir, k_cashback_grant)->platform_ref == credits[0].id);
    CHECK(fake.discounts().empty());
}

TEST_CASE("shop add refuses an unknown --cashback-as") {
    TempDir dir;
    shopify_out::write_config(dir, "", shopify_out::Subscriptions::unmanaged);
    const auto r = run_rewardd({"shop", "add", "s1", "--platform", "shopify", "--domain", sh::k_domain,
                                "--client-id", "id", "--client-secret", "secret-secret", "--cashback-as", "gift-card",
                                "--config", dir.str() + "/rewardd.conf"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("--cashback-as") != std::string::npos);
}

TEST_CASE("rewardd redeem for a Shopify customer queues a discount code restricted to them") {
    TempDir dir;
    FakeShopify fake;
    prepare(dir, fake, "shopify_metafield_quiet_ms = 100\n");
    DaemonProcess daemon(dir.str(), shopify_out::daemon_args(dir));
    post_paid(daemon, 450789469);
    sh::wait_applied(dir.str());
    REQUIRE(available(dir) >= 500);
    const std::string config = dir.str() + "/rewardd.conf";
    const auto redeemed = run_rewardd({"redeem", k_bob, "--points", "500", "--shop", "s1", "--id", "r-1",
                                       "--config", config});
    INFO(redeemed.out << redeemed.err);
    REQUIRE(redeemed.exit_code == 0);
    const std::string grant = "s1:redeem:r-1";
    REQUIRE(FakeShopify::wait_until([&] { return delivered(dir, grant); }, 20000));
    bool found = false;
    for (const auto& d : fake.discounts()) {
        if (d.code != item(dir, grant)->grant.code) continue;
        found = true;
        CHECK(d.customer == k_bob_gid);
        CHECK(d.amount == "5.00");
        CHECK(d.usage_limit == 1);
    }
    CHECK(found);
    // The balance after the redemption reaches the customer's metafields.
    const std::string left = std::to_string(available(dir));
    CHECK(FakeShopify::wait_until([&] { return fake.metafield(k_bob_gid, "rewardd", "points_available") == left; }));

    // Points but no Shopify id (never seen in this shop's webhooks): refused, nothing taken or queued.
    REQUIRE(run_rewardd({"adjust", "carol@example.com", "--points", "1000", "--reason", "test", "--config", config})
                .exit_code == 0);
    sh::wait_applied(dir.str());
    const auto stranger = run_rewardd({"redeem", "carol@example.com", "--points", "500", "--shop", "s1", "--id", "r-2", "--currency", "USD",
                                       "--config", config});
    INFO(stranger.err);
    CHECK(stranger.exit_code != 0);
    CHECK(stranger.err.find("no Shopify customer id") != std::string::npos);
    CHECK_FALSE(item(dir, "s1:redeem:r-2").has_value());
}

TEST_CASE("a burst of ten orders writes the customer's metafields once or twice, with the final values") {
    TempDir dir;
    FakeShopify fake;
    prepare(dir, fake, "shopify_metafield_quiet_ms = 1500\n");
    DaemonProcess daemon(dir.str(), shopify_out::daemon_args(dir));
    for (int i = 0; i < 10; ++i) post_paid(daemon, 500000000 + i);
    sh::wait_applied(dir.str());
    REQUIRE(FakeShopify::wait_until([&] {
        return queued_metafield_writes(dir) == 0 && !fake.metafield(k_bob_gid, "rewardd", "points_available").empty();
    }, 20000));
    const auto writes = fake.operations("metafieldsSet");
    CHECK(writes >= 1);
    CHECK(writes <= 2);  // one, unless the machine stalled more than the quiet period mid-burst
    CHECK(fake.metafield(k_bob_gid, "rewardd", "points_available") == std::to_string(available(dir)));
    CHECK(available(dir) == 10 * 587);
    CHECK(fake.metafield(k_bob_gid, "rewardd", "points_pending") == "0");
    CHECK(fake.metafield(k_bob_gid, "rewardd", "tier") == "silver");
}

TEST_CASE("a pending metafield write survives a daemon kill") {
    TempDir dir;
    FakeShopify fake;
    prepare(dir, fake, "shopify_metafield_quiet_ms = 600000\nshopify_metafield_max_delay_ms = 600000\n");
    {
        DaemonProcess daemon(dir.str(), shopify_out::daemon_args(dir));
        post_paid(daemon, 450789469);
        sh::wait_applied(dir.str());
        REQUIRE(queued_metafield_writes(dir) == 1);
        daemon.kill_hard();
    }
    CHECK(fake.operations("metafieldsSet") == 0);
    shopify_out::write_config(dir, "shopify_metafield_quiet_ms = 50\n", shopify_out::Subscriptions::unmanaged);
    DaemonProcess restarted(dir.str(), shopify_out::daemon_args(dir));
    REQUIRE(FakeShopify::wait_until([&] { return queued_metafield_writes(dir) == 0; }, 20000));
    CHECK(fake.metafield(k_bob_gid, "rewardd", "points_available") == std::to_string(available(dir)));
    CHECK(fake.operations("metafieldsSet") == 1);
}
