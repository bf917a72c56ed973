// Orders whose webhooks never came (Shopify gave up after 8 tries in 4 hours, or deleted the
// subscription) are found by the daemon's sweep of the fake Shopify's REST order list: paged,
// through a 429, giving the ledger their webhooks would have given, counted in /metrics and shown
// by `shop check`; after days down the sweep asks from its mark, and a late webhook of a swept
// order changes nothing.
#include "daemon/metrics_support.hpp"
#include "daemon/shopify_outbound_support.hpp"
#include "daemon/shopify_support.hpp"

#include <ctime>

#include "core/timestamp.hpp"

using namespace rewardd;
using namespace rewardd::test;
namespace sh = rewardd::test::shopify;
using nlohmann::json;

namespace {

const std::string k_client_secret = FakeShopify::Options{}.client_secret;
const std::string k_bob = "bob.norman@mail.example.com";

Timestamp now_s() { return static_cast<Timestamp>(std::time(nullptr)); }

// The fixture order (bob, three lines of 199.00, paid) with its own id, last updated `updated`.
json order(std::int64_t id, Timestamp updated) {
    auto o = json::parse(sh::fixture("orders-paid.json"));
    o["id"] = id;
    o["admin_graphql_api_id"] = "gid://shopify/Order/" + std::to_string(id);
    for (const char* field : {"created_at", "processed_at", "updated_at"}) o[field] = format_timestamp(updated - 60);
    o["updated_at"] = format_timestamp(updated);
    return o;
}

// The same order with the fixture refund (two of its lines) in refunds[].
json refunded_order(Timestamp updated) {
    auto o = order(450789469, updated);
    auto refund = json::parse(sh::fixture("refunds-create.json"));
    refund["created_at"] = refund["processed_at"] = format_timestamp(updated - 30);
    o["refunds"] = json::array({refund});
    o["financial_status"] = "partially_refunded";
    return o;
}

// The orders the fake shop holds: two that earn (one partly refunded), a test order, and one last
// updated three days ago, before the shop was added to rewardd.
std::vector<json> shop_orders() {
    const Timestamp t = now_s();
    auto test_order = order(1002, t);
    test_order["test"] = true;
    return {order(1001, t), refunded_order(t), test_order, order(1003, t - 3 * k_seconds_per_day)};
}

void add_shop(const TempDir& dir, const FakeShopify& fake, const std::string& config) {
    shopify_out::write_config(dir, config, shopify_out::Subscriptions::unmanaged);
    const auto added = shopify_out::add_shop(dir, fake.base_url());
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
}

std::int64_t events_of_order(const TempDir& dir, const std::string& order_id) {
    return sh::query_int(dir.str(), "SELECT COUNT(*) FROM events WHERE order_id = '" + order_id + "'");
}

// A time Shopify was asked from, as a Unix time (0 when unreadable).
Timestamp asked_from(const std::string& updated_at_min) {
    const auto t = parse_timestamp(updated_at_min);
    return t ? *t : 0;
}

std::int64_t swept_until(const TempDir& dir) {
    return sh::query_int(dir.str(), "SELECT COALESCE(MAX(swept_until), 0) FROM order_sweeps");
}

}  // namespace

TEST_CASE("orders whose webhooks never came are swept from Shopify into the ledger their webhooks would make") {
    FakeShopify fake;
    for (const auto& o : shop_orders()) fake.put_order(o);
    fake.set_order_page_size(2);                 // the three recent orders take two pages
    fake.fail_next_order_lists(1, 429, "0.2");  // the first request is refused once
    TempDir swept;
    add_shop(swept, fake, "shopify_order_sweep_interval_s = 3600\n");  // the start-up sweep alone
    {
        DaemonProcess daemon(swept.str(), shopify_out::daemon_args(swept));
        REQUIRE(sh::eventually([&] { return swept_until(swept) > 0; }));
        sh::wait_applied(swept.str());
        // Every event here came by the sweep: none by webhook.
        const std::string complete = R"(rewardd_shopify_order_sweeps_total{outcome="complete"})";
        const auto samples = scrape_until(daemon, complete, "1");
        CHECK(sample(samples, complete) == "1");
        CHECK(sample(samples, "rewardd_shopify_swept_events_total") ==
              std::to_string(sh::query_int(swept.str(), "SELECT COUNT(*) FROM events")));
    }
    CHECK(events_of_order(swept, "1001") > 0);
    CHECK(events_of_order(swept, "450789469") > 0);
    CHECK(events_of_order(swept, "1002") == 0);  // a test order earns nothing, as by webhook
    CHECK(events_of_order(swept, "1003") == 0);  // updated before the shop was added: not asked for
    CHECK(fake.order_list_requests() == 3);      // the 429, then two pages
    REQUIRE(fake.order_list_queries().size() == 1);
    const Timestamp first_asked = asked_from(fake.order_list_queries()[0]);
    CHECK(first_asked <= now_s() - 300);  // the shop's registration less the overlap
    CHECK(first_asked > now_s() - 3600);
    const auto check = run_rewardd({"shop", "check", "s1", "--config", swept.str() + "/rewardd.conf"});
    CHECK(check.out.find("orders swept: up to " + format_timestamp(swept_until(swept)) + "\n") != std::string::npos);

    // The same recent orders delivered as webhooks, to a daemon of their own.
    TempDir delivered;
    add_shop(delivered, fake, "");
    {
        DaemonProcess daemon(delivered.str(), shopify_out::daemon_args(delivered));
        int n = 0;
        for (const auto& o : shop_orders()) {
            if (o["id"] == 1003) continue;
            const std::string webhook_id = "w-" + std::to_string(++n);
            const auto res = sh::post_signed(daemon, "orders/updated", o.dump(), webhook_id, k_client_secret);
            REQUIRE(res);
            CHECK(res->status == 200);
        }
        sh::wait_applied(delivered.str());
    }
    const std::string ledger = sh::ledger_fingerprint(swept.str());
    CHECK(ledger.find(":refund:") != std::string::npos);  // the refund came with its order
    CHECK(ledger == sh::ledger_fingerprint(delivered.str()));
}

TEST_CASE("after days down the sweep asks from where the last one began, and a late webhook changes nothing") {
    FakeShopify fake;
    const Timestamp t = now_s();
    fake.put_order(order(1001, t));
    TempDir dir;
    add_shop(dir, fake, "shopify_order_sweep_interval_s = 1\n");
    DaemonProcess daemon(dir.str(), shopify_out::daemon_args(dir));
    REQUIRE(sh::eventually([&] { return swept_until(dir) > 0; }));
    sh::wait_applied(dir.str());
    CHECK(sh::balance(dir.str(), k_bob) > 0);

    // Shopify's own delivery, hours late: everything in it is already known.
    const auto res = sh::post_signed(daemon, "orders/paid", order(1001, t).dump(), "late-1", k_client_secret);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(json::parse(res->body)["status"] == "duplicate");

    // The daemon is down for two days (as if its last sweep began then); meanwhile an order is
    // paid and the first one cancelled, and Shopify gives up on both webhooks.
    daemon.stop_gracefully();
    const Timestamp down_since = now_s() - 2 * k_seconds_per_day;
    shopify_out::open_db(dir)->exec("UPDATE order_sweeps SET swept_until = " + std::to_string(down_since));
    fake.put_order(order(1004, now_s() - k_seconds_per_day));
    auto cancelled = order(1001, t);
    cancelled["cancelled_at"] = cancelled["updated_at"] = format_timestamp(t + 5);
    cancelled["cancel_reason"] = "customer";
    fake.put_order(cancelled);
    const std::size_t asked_before = fake.order_list_queries().size();
    daemon.start();
    REQUIRE(sh::eventually([&] {
        return events_of_order(dir, "1004") > 0 &&
               sh::query_int(dir.str(), "SELECT COUNT(*) FROM events WHERE order_id = '1001' AND type = "
                                        "'order.cancelled'") == 1;
    }));
    sh::wait_applied(dir.str());
    const auto queries = fake.order_list_queries();
    REQUIRE(queries.size() > asked_before);
    CHECK(asked_from(queries[asked_before]) == down_since - 300);  // the mark less the overlap
    // Once swept to the end, the next sweep asks from its own start on.
    REQUIRE(sh::eventually([&] {
        return asked_from(fake.order_list_queries().back()) >= now_s() - 310;
    }));
    CHECK(events_of_order(dir, "1004") > 0);
    CHECK(sh::query_int(dir.str(), "SELECT COUNT(*) FROM ledger WHERE kind = 'reverse'") == 1);  // 1001's award
}
