// End to end: a WooCommerce order webhook names each refund's total only, so the daemon fetches
// the refund's document from the (fake) shop's REST API (INTEGRATION.md W3.4) and weighs the
// refund by what it gave back: the returned product's points, none for shipping or fees. Failures retry;
// a refund the shop does not have, or a shop rewardd cannot ask, is weighed by its amount.
#include "daemon/woocommerce_support.hpp"

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::woocommerce;

namespace {

const std::string k_secret = "test-webhook-secret";

// Order 40: line 81 (product 10, 46.15) and line 82 (product 11, 73.85), shipping 49.00 + 12.25
// tax, 211.25 NOK in all, paid; refund 41 gave back the grinder (product 11) for 92.31.
std::string order_40() {
    return read_file(std::string(REWARDD_FIXTURES_DIR) + "/woocommerce/wc-order-with-coupon-and-refund.SYNTHETIC.json");
}

std::string refund_41() {
    return read_file(std::string(REWARDD_FIXTURES_DIR) + "/woocommerce/wc-rest-refund-with-line-items.SYNTHETIC.json");
}

// The same order with refund 42 instead: the shipping and its tax given back, 61.25.
std::string order_40_shipping_refunded() {
    auto doc = nlohmann::json::parse(order_40());
    doc["refunds"] = {{{"id", 42}, {"reason", "late delivery"}, {"total", "-61.25"}}};
    return doc.dump();
}

std::string refund_42() {
    return nlohmann::json{{"id", 42}, {"date_created_gmt", "2026-11-21T09:15:40"}, {"amount", "61.25"},
                          {"reason", "late delivery"}, {"refunded_by", 1}, {"refunded_payment", true},
                          {"meta_data", nlohmann::json::array()}, {"line_items", nlohmann::json::array()},
                          {"shipping_lines", {{{"id", 95}, {"method_title", "Flat rate"}, {"method_id", "flat_rate"},
                                               {"total", "-49.00"}, {"total_tax", "-12.25"}}}},
                          {"tax_lines", nlohmann::json::array()}, {"fee_lines", nlohmann::json::array()}}
        .dump();
}

// The same order with a gift-wrap fee of 8.00 + 2.00 tax (221.25 NOK in all), and refund 43: the
// fee given back.
std::string order_40_fee_refunded() {
    auto doc = nlohmann::json::parse(order_40());
    doc["fee_lines"] = {{{"id", 96}, {"name", "Gift wrap"}, {"tax_class", ""}, {"tax_status", "taxable"},
                         {"amount", "8.00"}, {"total", "8.00"}, {"total_tax", "2.00"}}};
    doc["total"] = "221.25";
    doc["refunds"] = {{{"id", 43}, {"reason", "no wrap after all"}, {"total", "-10.00"}}};
    return doc.dump();
}

std::string refund_43() {
    return nlohmann::json{{"id", 43}, {"date_created_gmt", "2026-11-21T09:20:00"}, {"amount", "10.00"},
                          {"reason", "no wrap after all"}, {"refunded_by", 1}, {"refunded_payment", true},
                          {"meta_data", nlohmann::json::array()}, {"line_items", nlohmann::json::array()},
                          {"shipping_lines", nlohmann::json::array()}, {"tax_lines", nlohmann::json::array()},
                          {"fee_lines",
                           {{{"id", 97}, {"name", "Gift wrap"}, {"tax_class", ""}, {"tax_status", "taxable"},
                             {"amount", "-8.00"}, {"total", "-8.00"}, {"total_tax", "-2.00"}}}}}
        .dump();
}

void post_order(const DaemonProcess& d, const std::string& body) {
    httplib::Headers h{{"X-WC-Webhook-Topic", "order.updated"}, {"X-WC-Webhook-Signature", sign(k_secret, body)},
                       {"X-WC-Webhook-ID", "2"}};
    auto res = d.client().Post("/webhooks/woocommerce/wc1", h, body, "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 200);
}

std::int64_t sum_of(const std::string& data, const std::string& key_like) {
    return query_int(data, "SELECT COALESCE(SUM(pending_delta + available_delta), 0) FROM ledger WHERE key LIKE '" +
                               key_like + "'");
}

int refunds_in(const std::string& data, const std::string& refund_id, const std::string& state) {
    return static_cast<int>(query_int(data, "SELECT COUNT(*) FROM woocommerce_refunds WHERE refund_id = '" + refund_id +
                                                "' AND state = '" + state + "'"));
}

int refund_reads(const FakeWooCommerce& fake, const std::string& path) {
    const auto requests = fake.requests();
    return static_cast<int>(std::count_if(requests.begin(), requests.end(), [&](const RecordedRequest& r) {
        return r.method == "GET" && r.path == path;
    }));
}

void check_reconciles(const std::string& data) {
    const auto reconciled = run_rewardd({"reconcile", "--json", "--data", data});
    CHECK_MESSAGE(reconciled.exit_code == 0, (reconciled.out + reconciled.err));
    CHECK(reconciled.out.find("entry_changed") == std::string::npos);
    CHECK(reconciled.out.find("entry_missing") == std::string::npos);
}

// Order 40 delivered with refund `refund_id` in it, whose document (`refund_doc`) gives back only
// what earned nothing: the order earns, and the refund takes none of it back.
void check_refund_takes_no_points(const std::string& order_body, int refund_id, const std::string& refund_doc) {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    fake.add_refund(40, refund_id, refund_doc);
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir)});

    post_order(daemon, order_body);
    // The order is applied as a whole once the document is in: its earning and the refund together.
    REQUIRE(eventually([&] { return sum_of(dir.str(), "wc1:order:40:earn:%") > 0; }));
    const std::int64_t earned = sum_of(dir.str(), "wc1:order:40:earn:%");
    CHECK(refunds_in(dir.str(), std::to_string(refund_id), "known") == 1);
    CHECK(sum_of(dir.str(), "wc1:order:40:refund:%") == 0);  // by its amount it would take a share
    CHECK(sum_of(dir.str(), "wc1:order:40:%") == earned);
    check_reconciles(dir.str());
}

}  // namespace

TEST_CASE("a refund's document names what it gave back: only the returned product's points are taken back") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    fake.add_refund(40, 41, refund_41());
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir)});

    post_order(daemon, order_40());
    REQUIRE(eventually([&] { return sum_of(dir.str(), "wc1:order:40:refund:41:%") < 0; }));
    const std::int64_t grinder = sum_of(dir.str(), "wc1:order:40:earn:82");
    REQUIRE(grinder > 0);
    CHECK(sum_of(dir.str(), "wc1:order:40:earn:81") > 0);
    CHECK(sum_of(dir.str(), "wc1:order:40:refund:41:line:82") == -grinder);  // all of the grinder's points
    CHECK(sum_of(dir.str(), "wc1:order:40:refund:41:line:81") == 0);         // none of the other line's
    CHECK(refund_reads(fake, "/wp-json/wc/v3/orders/40/refunds/41") == 1);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM woocommerce_refunds WHERE refund_id = '41' AND state = 'known' "
                               "AND currency = 'NOK'") == 1);

    // reconcile's replay weighs the refund with the same document: no difference.
    check_reconciles(dir.str());
}

TEST_CASE("shipping given back takes no points, though the webhook shows only an amount") {
    check_refund_takes_no_points(order_40_shipping_refunded(), 42, refund_42());
}

TEST_CASE("a fee given back takes no points: fees are not merchandise") {
    check_refund_takes_no_points(order_40_fee_refunded(), 43, refund_43());
}

TEST_CASE("a refund read that fails is retried, and one the shop does not have is weighed by its amount") {
    FakeWooCommerce fake(k_key, k_consumer_secret);  // no refund 41: 404 once the 503s are past
    fake.fail_next_refund_reads(2, 503);
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir)});

    post_order(daemon, order_40());
    REQUIRE(eventually([&] { return sum_of(dir.str(), "wc1:order:40:refund:41:%") < 0; }));
    CHECK(refund_reads(fake, "/wp-json/wc/v3/orders/40/refunds/41") == 3);
    CHECK(refunds_in(dir.str(), "41", "missing") == 1);
    // By amount: 92.31 of 211.25 is taken from both lines.
    CHECK(sum_of(dir.str(), "wc1:order:40:refund:41:line:81") < 0);
    CHECK(sum_of(dir.str(), "wc1:order:40:refund:41:line:82") < 0);
}

TEST_CASE("a shop without REST credentials weighs its refunds by amount at once") {
    TempDir dir;
    const auto r = run_rewardd({"shop", "add", "wc1", "--platform", "woocommerce", "--secret", k_secret, "--url",
                                "http://127.0.0.1:9", "--data", dir.str()});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir)});

    post_order(daemon, order_40());
    REQUIRE(eventually([&] { return sum_of(dir.str(), "wc1:order:40:refund:41:%") < 0; }));
    CHECK(sum_of(dir.str(), "wc1:order:40:refund:41:line:81") < 0);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM woocommerce_refunds") == 0);
}

TEST_CASE("a refund already taken back by its amount stays as written when the shop's credentials come later") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    fake.add_refund(40, 41, refund_41());
    auto doc_43 = nlohmann::json::parse(refund_42());
    doc_43["id"] = 43;
    fake.add_refund(40, 43, doc_43.dump());
    TempDir dir;
    const auto r = run_rewardd({"shop", "add", "wc1", "--platform", "woocommerce", "--secret", k_secret, "--url",
                                fake.url(), "--data", dir.str()});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir)});

    post_order(daemon, order_40());  // no credentials yet: refund 41 by its amount
    REQUIRE(eventually([&] { return sum_of(dir.str(), "wc1:order:40:refund:41:%") < 0; }));
    const std::int64_t taken = sum_of(dir.str(), "wc1:order:40:refund:41:%");
    CHECK(sum_of(dir.str(), "wc1:order:40:refund:41:line:81") < 0);

    add_woo_shop(dir.str(), fake.url());  // now rewardd can ask the shop
    auto later = nlohmann::json::parse(order_40());
    later["refunds"].push_back({{"id", 43}, {"reason", "late delivery"}, {"total", "-61.25"}});
    later["date_modified_gmt"] = "2026-11-22T08:15:40";
    post_order(daemon, later.dump());
    REQUIRE(eventually([&] {
        return refunds_in(dir.str(), "43", "known") == 1;
    }));
    // Once 43 is weighed, the order's wake-up for it is gone.
    REQUIRE(eventually([&] {
        return query_int(dir.str(), "SELECT COUNT(*) FROM wakeups WHERE order_id = '40' AND due_at < "
                                    "CAST(strftime('%s', 'now') AS INTEGER) + 86400") == 0;
    }));
    CHECK(refund_reads(fake, "/wp-json/wc/v3/orders/40/refunds/41") == 0);
    CHECK(sum_of(dir.str(), "wc1:order:40:refund:41:%") == taken);
    CHECK(sum_of(dir.str(), "wc1:order:40:refund:43:%") == 0);  // shipping
    check_reconciles(dir.str());
}

TEST_CASE("while a refund's document is being fetched, reconcile's replay waits for it too and finds nothing amiss") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    fake.add_refund(40, 41, refund_41());
    fake.fail_next_refund_reads(1000000, 503);  // every refund read answers 503 until told otherwise
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir)});

    post_order(daemon, order_40());
    REQUIRE(eventually([&] {
        return query_int(dir.str(), "SELECT COUNT(*) FROM woocommerce_refunds WHERE refund_id = '41' AND "
                                    "state = 'wanted' AND attempts >= 1") == 1 &&
               query_int(dir.str(), "SELECT (SELECT seq FROM apply_cursor) >= (SELECT MAX(seq) FROM events)") == 1;
    }));
    CHECK(sum_of(dir.str(), "wc1:order:40:%") == 0);  // the order waits as a whole
    // The replay holds the order back as the daemon does: no entries the daemon "lacks".
    check_reconciles(dir.str());

    fake.fail_next_refund_reads(0);
    REQUIRE(eventually([&] { return sum_of(dir.str(), "wc1:order:40:refund:41:%") < 0; }));
    CHECK(sum_of(dir.str(), "wc1:order:40:refund:41:line:81") == 0);
    check_reconciles(dir.str());
}
