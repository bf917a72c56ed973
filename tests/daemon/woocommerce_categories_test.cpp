// End to end: WooCommerce order JSON carries no product categories, so an order whose rules look
// at categories waits while the daemon fetches them from the (fake) shop's REST API, retrying its
// failures, and then earns with them; each product is fetched once.
#include "daemon/woocommerce_support.hpp"
#include "woocommerce/capture.hpp"

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::woocommerce;

namespace {

// Hoodies earn double, from before the captured orders were placed.
const char* k_rules = R"(effective_from = "2020-01-01T00:00:00Z"

[multipliers.categories]
hoodies = 2
)";

void set_rules(const TempDir& dir) {
    const std::string path = dir.str() + "/rules.toml";
    std::ofstream(path) << k_rules;
    const auto r = run_rewardd({"rules", "set", path, "--data", dir.str()});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

std::int64_t points(const std::string& data) {
    return query_int(data, "SELECT COALESCE(SUM(pending_delta + available_delta), 0) FROM ledger "
                           "WHERE customer = 'ada@example.test'");
}

int product_reads(const FakeWooCommerce& fake) {
    const auto requests = fake.requests();
    return static_cast<int>(std::count_if(requests.begin(), requests.end(), [](const RecordedRequest& r) {
        return r.method == "GET" && r.path == "/wp-json/wc/v3/products/10";
    }));
}

}  // namespace

TEST_CASE("an order waits for its product's categories through the shop's failures, then earns with them") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    fake.add_product(10, {"clothing", "hoodies"});
    fake.fail_next_product_reads(2, 503);
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    set_rules(dir);
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir)});

    post_capture(daemon, "003-order.created.http");  // processing: 50.00 paid, product 10
    REQUIRE(eventually([&] { return points(dir.str()) == 100; }));  // 50 points x2 for hoodies
    CHECK(product_reads(fake) == 3);                                   // two 503s, then the product

    post_capture(daemon, "005-order.updated.http");  // the same order again: categories are kept
    REQUIRE(eventually([&] { return query_int(dir.str(), "SELECT COUNT(*) FROM events") >= 2; }));
    CHECK(points(dir.str()) == 100);
    CHECK(product_reads(fake) == 3);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM product_categories WHERE state = 'known' AND "
                               "categories = '[\"clothing\",\"hoodies\"]'") == 1);

    // reconcile's replay earns with the same categories: no false entry_changed on such orders.
    REQUIRE(eventually([&] {
        return query_int(dir.str(), "SELECT (SELECT seq FROM apply_cursor) >= (SELECT MAX(seq) FROM events)") == 1;
    }));
    const auto reconciled = run_rewardd({"reconcile", "--json", "--data", dir.str()});
    CHECK_MESSAGE(reconciled.exit_code == 0, (reconciled.out + reconciled.err));
    CHECK(reconciled.out.find("entry_changed") == std::string::npos);
}

TEST_CASE("a product the shop no longer has earns without categories instead of waiting forever") {
    FakeWooCommerce fake(k_key, k_consumer_secret);  // no product 10: 404
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    set_rules(dir);
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir)});

    post_capture(daemon, "003-order.created.http");
    REQUIRE(eventually([&] { return points(dir.str()) == 50; }));
    CHECK(product_reads(fake) == 1);
    CHECK(query_int(dir.str(), "SELECT COUNT(*) FROM product_categories WHERE state = 'missing'") == 1);
}

TEST_CASE("without a rule that looks at categories no product is fetched and nothing waits") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    fake.add_product(10, {"hoodies"});
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir)});

    post_capture(daemon, "003-order.created.http");
    REQUIRE(eventually([&] { return points(dir.str()) == 50; }));
    CHECK(product_reads(fake) == 0);

    // Simulating category rules on such a shop: its catalogue is empty, and the order still counts
    // (without categories) instead of waiting for a fetch no simulation makes.
    const std::string proposed = dir.str() + "/proposed.toml";
    std::ofstream(proposed) << "[multipliers.categories]\nhoodies = 2\n";
    const auto simulated = run_rewardd({"simulate", "--rules", proposed, "--json", "--data", dir.str()});
    REQUIRE_MESSAGE(simulated.exit_code == 0, simulated.err);
    const auto report = nlohmann::json::parse(simulated.out);
    CHECK(report["current"]["points_issued"] == 50);
    CHECK(report["proposed"]["points_issued"] == 50);
}
