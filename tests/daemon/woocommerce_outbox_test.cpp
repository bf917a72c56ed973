// End to end: grants in the outbox delivered by the real daemon to a fake WooCommerce shop as
// coupons, exactly once, through failures, lost answers, a parked key and a crash; sent by the
// daemon's rewardd-http helper.
#include "daemon/woocommerce_support.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::woocommerce;

TEST_CASE("a grant becomes exactly one coupon even when the shop fails and rate-limits the first attempts") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    fake.fail_next_creates(2, 500);
    fake.rate_limit_next(1, 1);
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir)});
    const RewardGrant grant = test_grant("redeem-1");
    enqueue(dir.str(), grant);
    REQUIRE(wait_status(dir.str(), "redeem-1", "delivered"));
    const auto coupons = fake.coupons();
    REQUIRE(coupons.size() == 1);
    CHECK(coupons[0].grant_id == "redeem-1");
    CHECK(coupons[0].amount == "12.50");
    const auto body = nlohmann::json::parse(coupons[0].body);
    CHECK(body["email_restrictions"] == nlohmann::json::array({"ada@example.test"}));
    CHECK(body["usage_limit"] == 1);
    CHECK(body["discount_type"] == "fixed_cart");
    CHECK(fake.count("POST") == 4);  // 429, 500, 500, 201
    for (const auto& r : fake.requests()) {
        if (r.status != 429) CHECK(r.auth == "oauth");  // plain http: OAuth 1.0a, never Basic
    }
    CHECK(query_int(dir.str(), "SELECT attempts FROM outbox WHERE grant_id = 'redeem-1'") == 4);
    const auto listed = run_rewardd({"outbox", "list", "--json", "--data", dir.str()});
    REQUIRE(listed.exit_code == 0);
    const auto items = nlohmann::json::parse(listed.out);
    CHECK(items[0]["status"] == "delivered");
    CHECK(items[0]["platform_ref"] == "coupon " + std::to_string(coupons[0].id));
}

TEST_CASE("a coupon whose answer was lost is found by its code and not created twice") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    fake.lose_next_create_answers(1);
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir)});
    enqueue(dir.str(), test_grant("redeem-2"));
    REQUIRE(wait_status(dir.str(), "redeem-2", "delivered"));
    CHECK(fake.coupons().size() == 1);
    CHECK(fake.count("GET") == 1);  // the duplicate answer was checked against the grant id
}

TEST_CASE("a refused key parks the item with its reason, outbox retry delivers it once the key is fixed") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    TempDir dir;
    add_woo_shop(dir.str(), fake.url(), "cs_wrong_secret");
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir)});
    enqueue(dir.str(), test_grant("redeem-3"));
    REQUIRE(wait_status(dir.str(), "redeem-3", "parked"));
    auto listed = run_rewardd({"outbox", "list", "--status", "parked", "--data", dir.str()});
    REQUIRE(listed.exit_code == 0);
    CHECK(listed.out.find("woocommerce_rest_authentication_error") != std::string::npos);
    CHECK(fake.count("POST") == 1);  // permanent: not retried on its own
    CHECK(fake.coupons().empty());

    add_woo_shop(dir.str(), fake.url());  // the right secret
    const auto id = query_int(dir.str(), "SELECT id FROM outbox WHERE grant_id = 'redeem-3'");
    const auto retried = run_rewardd({"outbox", "retry", std::to_string(id), "--data", dir.str()});
    CHECK_MESSAGE(retried.exit_code == 0, retried.err);
    REQUIRE(wait_status(dir.str(), "redeem-3", "delivered"));
    CHECK(fake.coupons().size() == 1);
    CHECK(run_rewardd({"outbox", "retry", std::to_string(id), "--data", dir.str()}).exit_code != 0);  // delivered
    CHECK(run_rewardd({"outbox", "retry", "9999", "--data", dir.str()}).exit_code != 0);
}

TEST_CASE("a code that exists for another grant is a collision: parked, nothing overwritten") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    fake.add_coupon(test_grant("redeem-4").code, "someone-else");
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir)});
    enqueue(dir.str(), test_grant("redeem-4"));
    REQUIRE(wait_status(dir.str(), "redeem-4", "parked"));
    CHECK(fake.coupons().size() == 1);
}

TEST_CASE("a daemon killed mid-delivery delivers after restart, still exactly one coupon") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    fake.hold_create_answers(5000);  // the coupon is created, the answer held back
    const std::string config = fast_config(dir);
    {
        DaemonProcess daemon(dir.str(), {"--config", config});
        enqueue(dir.str(), test_grant("redeem-5"));
        REQUIRE(eventually([&] { return fake.coupons().size() == 1; }));
        daemon.kill_hard();
    }
    fake.release();
    CHECK(outbox_status(dir.str(), "redeem-5") == "pending");
    DaemonProcess restarted(dir.str(), {"--config", config});
    REQUIRE(wait_status(dir.str(), "redeem-5", "delivered"));
    CHECK(fake.coupons().size() == 1);
}

namespace {

// The daemon's child processes, whichever of its threads started them.
std::vector<pid_t> children_of(int pid) {
    std::vector<pid_t> children;
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
        std::ifstream in(task.path() / "children");
        for (pid_t child = 0; in >> child;) children.push_back(child);
    }
    return children;
}

std::string process_file(pid_t pid, const std::string& name) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/" + name);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Exited: no such process, or a zombie left for whoever adopted it.
bool exited(pid_t pid) {
    const std::string stat = process_file(pid, "stat");
    const auto close = stat.rfind(')');
    return stat.empty() || (close != std::string::npos && stat.compare(close + 1, 3, " Z ") == 0);
}

}  // namespace

TEST_CASE("the daemon delivers through its rewardd-http helper, never maps libcurl, and its helper ends with it") {
    FakeWooCommerce fake(k_key, k_consumer_secret);
    TempDir dir;
    add_woo_shop(dir.str(), fake.url());
    DaemonProcess daemon(dir.str(), {"--config", fast_config(dir)});
    enqueue(dir.str(), test_grant("redeem-relay"));
    REQUIRE(wait_status(dir.str(), "redeem-relay", "delivered"));
    CHECK(fake.coupons().size() == 1);
    CHECK(process_file(daemon.pid(), "maps").find("libcurl") == std::string::npos);
    const auto children = children_of(daemon.pid());
    REQUIRE(children.size() == 1);
    const pid_t helper = children[0];
    CHECK(process_file(helper, "comm") == "rewardd-http\n");
    CHECK(process_file(helper, "maps").find("libcurl") != std::string::npos);

    daemon.kill_hard();  // the helper sees its socket close and exits on its own
    CHECK(eventually([&] { return exited(helper); }));
}
