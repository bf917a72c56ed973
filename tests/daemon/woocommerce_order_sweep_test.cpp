// Orders whose webhooks WooCommerce dropped (it sends each delivery once and disables a webhook
// after seven failures in a row, INTEGRATION.md W1.4) are found by the daemon's sweep of the fake
// shop's REST order list: paged, through a 429, giving the ledger their webhooks would have given
// (a refund's document fetched as for a webhook), counted in /metrics; after days down the sweep
// asks from its mark, and a late webhook of a swept order changes nothing.
#include "daemon/metrics_support.hpp"
#include "daemon/woocommerce_support.hpp"

#include <ctime>

#include "adapters/woocommerce/order_snapshot.hpp"
#include "core/timestamp.hpp"

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::woocommerce;
using nlohmann::json;
namespace sh = rewardd::test::shopify;

namespace {

const std::string k_secret = "test-webhook-secret";

Timestamp now_s() { return static_cast<Timestamp>(std::time(nullptr)); }

std::string gmt(Timestamp t) { return rewardd::woocommerce::format_gmt(t); }

// The fixture's paid order (one line, 50.00 USD) as order `id` of a customer of its own, created
// and paid a minute before it was last modified at `modified`.
json order(int id, Timestamp modified) {
    auto o = json::parse(read_file(std::string(REWARDD_FIXTURES_DIR) + "/woocommerce/wc-webhook-order-created.json"));
    o["id"] = id;
    o["number"] = std::to_string(id);
    o["billing"]["email"] = "buyer" + std::to_string(id) + "@example.test";
    o["date_created_gmt"] = o["date_paid_gmt"] = gmt(modified - 60);
    o["date_created"] = o["date_paid"] = gmt(modified - 60);
    o["date_modified_gmt"] = o["date_modified"] = gmt(modified);
    return o;
}

// Order 40 with refund 41 (the grinder given back), last modified at `modified`.
json refunded_order(Timestamp modified) {
    auto o = json::parse(
        read_file(std::string(REWARDD_FIXTURES_DIR) + "/woocommerce/wc-order-with-coupon-and-refund.SYNTHETIC.json"));
    o["date_modified_gmt"] = o["date_modified"] = gmt(modified);
    return o;
}

std::string refund_41() {
    return read_file(std::string(REWARDD_FIXTURES_DIR) + "/woocommerce/wc-rest-refund-with-line-items.SYNTHETIC.json");
}

// 51 paid orders and a refunded one modified in the last two minutes (two pages of 50), and one
// last modified three days ago, before the shop was added to rewardd.
std::vector<json> shop_orders(Timestamp t) {
    std::vector<json> orders;
    for (int i = 0; i < 51; ++i) orders.push_back(order(1001 + i, t - 120 + i));
    orders.push_back(refunded_order(t - 10));
    orders.push_back(order(1999, t - 3 * k_seconds_per_day));
    return orders;
}

std::int64_t events_of_order(const TempDir& dir, const std::string& order_id) {
    return query_int(dir.str(), "SELECT COUNT(*) FROM events WHERE order_id = '" + order_id + "'");
}

std::int64_t points_of_order(const TempDir& dir, const std::string& order_id) {
    return query_int(dir.str(), "SELECT COALESCE(SUM(pending_delta + available_delta), 0) FROM ledger WHERE key LIKE "
                                "'wc1:order:" + order_id + ":%'");
}

bool refund_taken(const TempDir& dir) {
    return query_int(dir.str(), "SELECT COUNT(*) FROM ledger WHERE key LIKE 'wc1:order:40:refund:41:%'") > 0;
}

std::int64_t swept_until(const TempDir& dir) {
    return query_int(dir.str(), "SELECT COALESCE(MAX(swept_until), 0) FROM order_sweeps");
}

// A time the shop was asked from (modified_after, GMT without a zone), as a Unix time.
Timestamp asked_from(const std::map<std::string, std::string>& query) {
    const auto it = query.find("modified_after");
    if (it == query.end()) return 0;
    const auto t = parse_timestamp(it->second + "Z");
    return t ? *t : 0;
}

// `rewardd shop check wc1` with the sweep every `sweep_interval_s` (0: off).
CommandResult shop_check(const TempDir& dir, int sweep_interval_s) {
    return run_rewardd({"shop", "check", "wc1", "--data", dir.str(), "--config", fast_config(dir, sweep_interval_s)});
}

httplib::Result post_order(const DaemonProcess& d, const json& order, const std::string& webhook_id) {
    const std::string body = order.dump();
    httplib::Headers h{{"X-WC-Webhook-Topic", "order.updated"}, {"X-WC-Webhook-Signature", sign(k_secret, body)},
                       {"X-WC-Webhook-ID", webhook_id}};
    return d.client().Post("/webhooks/woocommerce/wc1", h, body, "application/json");
}

}  // namespace

TEST_CASE("orders whose webhooks WooCommerce dropped are swept into the ledger their webhooks make") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    fake.add_refund(40, 41, refund_41());
    const Timestamp t = now_s();
    for (const auto& o : shop_orders(t)) fake.put_order(o.dump());
    fake.rate_limit_next_order_lists(1, 1);  // the first request is refused once
    TempDir swept;
    add_woo_shop(swept.str(), fake.url());
    {
        DaemonProcess daemon(swept.str(), {"--config", fast_config(swept, 3600)});  // the start-up sweep alone
        REQUIRE(eventually([&] { return swept_until(swept) > 0; }));
        REQUIRE(eventually([&] { return refund_taken(swept); }));
        sh::wait_applied(swept.str());
        // Every event here came by the sweep: none by webhook.
        const std::string complete = R"(rewardd_woocommerce_order_sweeps_total{outcome="complete"})";
        const auto samples = scrape_until(daemon, complete, "1");
        CHECK(sample(samples, complete) == "1");
        CHECK(sample(samples, "rewardd_woocommerce_swept_events_total") ==
              std::to_string(query_int(swept.str(), "SELECT COUNT(*) FROM events")));
    }
    CHECK(events_of_order(swept, "1051") > 0);
    CHECK(events_of_order(swept, "1001") > 0);  // the least recently modified: on the second page
    CHECK(points_of_order(swept, "1001") > 0);
    CHECK(events_of_order(swept, "1999") == 0);  // modified before the shop was added: not asked for
    const auto queries = fake.order_list_queries();
    REQUIRE(queries.size() == 3);  // the 429, then two pages
    CHECK(queries[1].at("page") == "1");
    CHECK(queries[2].at("page") == "2");
    for (const auto& q : queries) {
        CHECK(q.at("dates_are_gmt") == "true");
        CHECK(q.at("orderby") == "modified");
        CHECK(q.at("order") == "desc");
        CHECK(q.at("per_page") == "50");
    }
    const Timestamp first_asked = asked_from(queries[0]);
    CHECK(first_asked <= now_s() - 300);  // the shop's registration less the overlap
    CHECK(first_asked > t - 3600);
    const auto check = shop_check(swept, 3600);
    CHECK(check.exit_code == 0);
    CHECK(check.out.find("rest key: works (orders listed)\n") != std::string::npos);
    CHECK(check.out.find("last event: order.") != std::string::npos);
    CHECK(check.out.find("orders swept: up to " + format_timestamp(swept_until(swept)) + "\n") != std::string::npos);

    // The same recent orders delivered as webhooks, to a daemon of their own.
    TempDir delivered;
    add_woo_shop(delivered.str(), fake.url());
    {
        DaemonProcess daemon(delivered.str(), {"--config", fast_config(delivered, 0)});
        int n = 0;
        for (const auto& o : shop_orders(t)) {
            if (o["id"] == 1999) continue;
            const auto res = post_order(daemon, o, std::to_string(++n));
            REQUIRE(res);
            CHECK(res->status == 200);
        }
        REQUIRE(eventually([&] { return refund_taken(delivered); }));
        sh::wait_applied(delivered.str());
    }
    const std::string ledger = sh::ledger_fingerprint(swept.str());
    CHECK(ledger.find(":refund:41:") != std::string::npos);  // the refund came with its order
    CHECK(ledger == sh::ledger_fingerprint(delivered.str()));
}

TEST_CASE("after days down the WooCommerce sweep asks from its last start, and a late webhook is a duplicate") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    const Timestamp t = now_s();
    fake.put_order(order(1001, t - 30).dump());
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir, 1)});
    REQUIRE(eventually([&] { return swept_until(dir) > 0; }));
    sh::wait_applied(dir.str());
    CHECK(points_of_order(dir, "1001") > 0);

    // WooCommerce's own delivery, late: everything in it is already known.
    const auto res = post_order(daemon, order(1001, t - 30), "late-1");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(json::parse(res->body)["status"] == "duplicate");

    // The daemon is down for two days (as if its last sweep began then); meanwhile an order is
    // paid and the first one cancelled, and WooCommerce drops both deliveries.
    daemon.stop_gracefully();
    const Timestamp down_since = now_s() - 2 * k_seconds_per_day;
    {
        SQLite::Database db(dir.str() + "/rewardd.db", SQLite::OPEN_READWRITE);
        db.exec("UPDATE order_sweeps SET swept_until = " + std::to_string(down_since));
    }
    fake.put_order(order(1004, now_s() - k_seconds_per_day).dump());
    auto cancelled = order(1001, t - 30);
    cancelled["status"] = "cancelled";
    cancelled["date_modified_gmt"] = cancelled["date_modified"] = gmt(t - 5);
    fake.put_order(cancelled.dump());
    const std::size_t asked_before = fake.order_list_queries().size();
    fake.fail_next_order_lists(1, 503);  // the shop is still struggling: its first answer is a 503
    daemon.start();
    REQUIRE(eventually([&] { return events_of_order(dir, "1004") > 0 && points_of_order(dir, "1001") == 0; }));
    sh::wait_applied(dir.str());
    const auto queries = fake.order_list_queries();
    REQUIRE(queries.size() > asked_before);
    CHECK(asked_from(queries[asked_before]) == down_since - 300);  // the mark less the overlap
    REQUIRE(queries.size() > asked_before + 1);
    CHECK(queries[asked_before + 1] == queries[asked_before]);  // the same page asked again after the 503
    // Once swept to the end, the next sweep asks from its own start on.
    REQUIRE(eventually([&] { return asked_from(fake.order_list_queries().back()) >= now_s() - 310; }));
    CHECK(points_of_order(dir, "1004") > 0);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM ledger WHERE kind = 'reverse'") == 1);  // 1001's award
}

TEST_CASE("a shop that ignores modified_after lists old orders: the sweep leaves them and reads no further") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    fake.ignore_modified_after(true);
    const Timestamp t = now_s();
    // Page 1: 49 recent orders and one from before the shop was added; page 2: older ones still.
    for (int i = 0; i < 49; ++i) fake.put_order(order(1001 + i, t - 100 + i).dump());
    for (int i = 0; i < 60; ++i) fake.put_order(order(2001 + i, t - 3 * k_seconds_per_day - i).dump());
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir, 3600)});
    REQUIRE(eventually([&] { return swept_until(dir) > 0; }));
    sh::wait_applied(dir.str());
    CHECK(events_of_order(dir, "1001") > 0);
    CHECK(events_of_order(dir, "1049") > 0);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM events WHERE order_id LIKE '20%'") == 0);
    CHECK(fake.order_list_queries().size() == 1);  // the old orders' pages are not read
}

TEST_CASE("shop check of a WooCommerce shop says whether its REST key reads orders and how far they were swept") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    TempDir refused;
    add_woo_shop(refused.str(), fake.url(), "cs_not_the_secret");
    auto check = shop_check(refused, 0);
    CHECK(check.exit_code == 1);
    CHECK(check.out.find("shop: wc1 (" + fake.url() + ")\n") != std::string::npos);
    CHECK(check.out.find("rest key: refused (list orders: HTTP 401 woocommerce_rest_authentication_error") !=
          std::string::npos);
    CHECK(check.out.find("last event: none\n") != std::string::npos);
    CHECK(check.out.find("orders swept: off (woocommerce_order_sweep_interval_s = 0)\n") != std::string::npos);

    TempDir keyless;
    const auto added = run_rewardd({"shop", "add", "wc1", "--platform", "woocommerce", "--secret", k_secret, "--data",
                                    keyless.str()});
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    check = shop_check(keyless, 900);
    CHECK(check.exit_code == 1);
    CHECK(check.out.find("rest key: none (") != std::string::npos);
    CHECK(check.out.find("orders swept: not yet\n") != std::string::npos);
    CHECK(fake.order_list_queries().size() == 1);  // the keyless shop asked nothing
}
