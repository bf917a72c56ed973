// End to end against the fake Shopify: shop add (token, subscriptions), shop check, and rewards
// delivered through the real daemon's outbox exactly once under 5xx, lost answers, a hard kill,
// a drained throttle bucket and a revoked token.
#include "daemon/shopify_outbound_support.hpp"

#include <map>

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::shopify_out;

namespace {

bool mentions_a_token(const std::string& text, const FakeShopify& fake) {
    for (const auto& t : fake.issued_tokens()) {
        if (text.find(t) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("shop add with a client id and secret gets a token and subscribes the webhook topics") {
    TempDir dir;
    write_config(dir);
    FakeShopify fake;
    const auto added = add_shop(dir, fake.base_url());
    INFO(added.out << added.err);
    REQUIRE(added.exit_code == 0);
    CHECK(fake.token_requests() == 1);
    const auto subs = fake.subscriptions();
    REQUIRE(subs.size() == 7);
    for (const auto& s : subs) CHECK(s.uri == "https://loyalty.example.com/webhooks/shopify");
    CHECK(added.out.find("7 created, 0 already there") != std::string::npos);
    CHECK_FALSE(mentions_a_token(added.out + added.err, fake));

    const auto again = add_shop(dir, fake.base_url());
    CHECK(again.out.find("0 created, 7 already there") != std::string::npos);
    CHECK(fake.subscriptions().size() == 7);

    const auto check = run_rewardd({"shop", "check", "s1", "--config", dir.str() + "/rewardd.conf"});
    INFO(check.out << check.err);
    CHECK(check.exit_code == 0);
    CHECK(check.out.find("token: client_credentials, ok") != std::string::npos);
    CHECK(check.out.find("scopes: read_orders, read_customers, write_discounts") != std::string::npos);
    CHECK(check.out.find("missing: none") != std::string::npos);
    CHECK(check.out.find("last delivery: none") != std::string::npos);
    CHECK(check.out.find("orders swept: off") != std::string::npos);  // write_config turns sweeps off
    CHECK_FALSE(mentions_a_token(check.out + check.err, fake));
    CHECK(fake.wrong_version_requests() == 0);
}

TEST_CASE("a legacy custom app's static --token is used as it is") {
    TempDir dir;
    write_config(dir);
    FakeShopify::Options options;
    options.static_token = "shpat_legacy_0123456789";
    FakeShopify fake(options);
    const auto added = run_rewardd({"shop", "add", "s1", "--platform", "shopify", "--domain", "jsmith.myshopify.com",
                                    "--token", options.static_token, "--secret", "legacy-webhook-secret",
                                    "--api-base", fake.base_url(), "--config", dir.str() + "/rewardd.conf"});
    INFO(added.out << added.err);
    CHECK(added.exit_code == 0);
    CHECK(fake.token_requests() == 0);
    CHECK(fake.subscriptions().size() == 7);
}

TEST_CASE("wrong client credentials are reported and the shop stays saved") {
    TempDir dir;
    write_config(dir);
    FakeShopify fake;
    FakeShopify::Options wrong;
    wrong.client_secret = "not-the-secret-at-all";
    const auto added = add_shop(dir, fake.base_url(), wrong);
    CHECK(added.exit_code == 1);
    CHECK(added.err.find("auth_failed") != std::string::npos);
    CHECK(run_rewardd({"shop", "list", "--config", dir.str() + "/rewardd.conf"}).out.find("s1") != std::string::npos);
}

TEST_CASE("a shop saved while Shopify is unreachable is subscribed by serve, and lost subscriptions come back") {
    TempDir dir;
    write_config(dir, "shopify_subscription_check_interval_s = 1\n");
    const int port = free_port();
    const auto added = add_shop(dir, "http://127.0.0.1:" + std::to_string(port));
    INFO(added.out << added.err);
    CHECK(added.exit_code == 0);
    CHECK(added.err.find("warning: Shopify could not be reached") != std::string::npos);

    FakeShopify::Options options;
    options.port = port;
    FakeShopify fake(options);
    DaemonProcess daemon(dir.str(), daemon_args(dir));
    CHECK(FakeShopify::wait_until([&] { return fake.subscriptions().size() == 7; }));
    fake.remove_subscriptions();  // what Shopify does after 8 failed deliveries
    CHECK(FakeShopify::wait_until([&] { return fake.subscriptions().size() == 7; }));
    CHECK_FALSE(mentions_a_token(daemon.log(), fake));
}

TEST_CASE("a redemption code is created once despite a 503 and an answer lost to a timeout") {
    TempDir dir;
    write_config(dir);
    FakeShopify fake;
    REQUIRE(add_shop(dir, fake.base_url()).exit_code == 0);
    enqueue(dir, coupon_grant("g-000123"));
    fake.fail_next(1, 503);
    fake.hang_after_commit(1, 2500);  // created on Shopify, answer arrives after our 1 s timeout
    DaemonProcess daemon(dir.str(), daemon_args(dir));
    REQUIRE(FakeShopify::wait_until([&] { return delivered(dir, "g-000123"); }, 20000));
    const auto codes = fake.discounts();
    REQUIRE(codes.size() == 1);
    CHECK(codes[0].code == "RWD-g-000123");
    CHECK(codes[0].customer == "gid://shopify/Customer/207119551");
    CHECK(codes[0].amount == "10.00");
    CHECK(codes[0].usage_limit == 1);
    CHECK(codes[0].title == "rewardd redemption g-000123");
    CHECK(item(dir, "g-000123")->platform_ref == codes[0].id);
    CHECK(fake.operations("codeDiscountNodeByCode") >= 1);  // the retry looked before creating
    CHECK(fake.operations("discountCodeBasicCreate") == 1);
}

TEST_CASE("a redemption code asks Shopify for the minimum subtotal its grant carries") {
    TempDir dir;
    write_config(dir);
    FakeShopify fake;
    REQUIRE(add_shop(dir, fake.base_url()).exit_code == 0);
    auto capped = coupon_grant("g-min");
    capped.minimum_subtotal_minor = 2500;  // a 10.00 code at most 40 % of an order
    enqueue(dir, capped);
    enqueue(dir, coupon_grant("g-none"));
    DaemonProcess daemon(dir.str(), daemon_args(dir));
    REQUIRE(FakeShopify::wait_until([&] { return delivered(dir, "g-min") && delivered(dir, "g-none"); }, 20000));
    std::map<std::string, std::string> minimum;
    for (const auto& d : fake.discounts()) minimum[d.code] = d.minimum_subtotal;
    CHECK(minimum == std::map<std::string, std::string>{{"RWD-g-min", "25.00"}, {"RWD-g-none", ""}});
}

TEST_CASE("a daemon killed mid-delivery delivers the code once after its restart") {
    TempDir dir;
    write_config(dir);
    FakeShopify fake;
    REQUIRE(add_shop(dir, fake.base_url()).exit_code == 0);
    enqueue(dir, coupon_grant("g-kill"));
    fake.hang_after_commit(1, 10000);
    {
        DaemonProcess daemon(dir.str(), daemon_args(dir));
        REQUIRE(FakeShopify::wait_until([&] { return fake.hangs_started() == 1; }));
        daemon.kill_hard();  // the code exists on Shopify; the outbox still says pending
    }
    fake.release_hangs();
    CHECK_FALSE(delivered(dir, "g-kill"));
    DaemonProcess restarted(dir.str(), daemon_args(dir));
    REQUIRE(FakeShopify::wait_until([&] { return delivered(dir, "g-kill"); }, 20000));
    const auto codes = fake.discounts();
    REQUIRE(codes.size() == 1);
    CHECK(item(dir, "g-kill")->platform_ref == codes[0].id);
    CHECK(fake.operations("discountCodeBasicCreate") == 2);  // the second one was TAKEN: ours
}

TEST_CASE("a code taken by someone else's discount is parked, not reported delivered") {
    TempDir dir;
    write_config(dir);
    FakeShopify fake;
    REQUIRE(add_shop(dir, fake.base_url()).exit_code == 0);
    enqueue(dir, coupon_grant("g-a"));
    auto clash = coupon_grant("g-b");
    clash.code = "RWD-g-a";
    enqueue(dir, clash);
    DaemonProcess daemon(dir.str(), daemon_args(dir));
    REQUIRE(FakeShopify::wait_until([&] {
        const auto b = item(dir, "g-b");
        return delivered(dir, "g-a") && b && b->status == OutboxStatus::parked;
    }));
    CHECK(item(dir, "g-b")->last_error.find("code_taken") != std::string::npos);
    CHECK(fake.discounts().size() == 1);
}

TEST_CASE("store credit cashback is credited once even when the answer is lost") {
    TempDir dir;
    write_config(dir);
    FakeShopify fake;
    REQUIRE(add_shop(dir, fake.base_url()).exit_code == 0);
    enqueue(dir, store_credit_grant("cb-42", 1250));
    fake.hang_after_commit(1, 2500);
    DaemonProcess daemon(dir.str(), daemon_args(dir));
    REQUIRE(FakeShopify::wait_until([&] { return delivered(dir, "cb-42"); }, 20000));
    const auto credits = fake.credits();
    REQUIRE(credits.size() == 1);
    CHECK(credits[0].amount == "12.5");
    CHECK(credits[0].currency == "USD");
    CHECK(credits[0].customer == "gid://shopify/Customer/207119551");
    CHECK(item(dir, "cb-42")->platform_ref == credits[0].id);
}

TEST_CASE("a top-level INTERNAL_SERVER_ERROR is retried, and a credit it hid is found, not paid twice") {
    TempDir dir;
    write_config(dir);
    FakeShopify fake;
    REQUIRE(add_shop(dir, fake.base_url()).exit_code == 0);
    enqueue(dir, store_credit_grant("cb-43", 1250));
    enqueue(dir, coupon_grant("g-ise"));
    fake.internal_error_after_commit(2);  // both mutations are made, both answers are errors
    DaemonProcess daemon(dir.str(), daemon_args(dir));
    REQUIRE(FakeShopify::wait_until([&] { return delivered(dir, "cb-43") && delivered(dir, "g-ise"); }, 20000));
    CHECK(fake.credits().size() == 1);
    CHECK(fake.discounts().size() == 1);
    CHECK(item(dir, "cb-43")->platform_ref == fake.credits()[0].id);
    CHECK(item(dir, "g-ise")->platform_ref == fake.discounts()[0].id);
    CHECK(fake.operations("storeCreditAccountCredit") == 1);
    CHECK(fake.operations("discountCodeBasicCreate") == 1);
}

TEST_CASE("with an empty throttle bucket no request is sent until it has refilled") {
    TempDir dir;
    write_config(dir, "", Subscriptions::unmanaged);  // one thread talking to the shop
    FakeShopify::Options options;
    options.bucket_max = 100;
    options.restore_per_s = 50;
    FakeShopify fake(options);
    REQUIRE(add_shop(dir, fake.base_url()).exit_code == 0);
    for (const char* id : {"t-1", "t-2", "t-3", "t-4"}) enqueue(dir, coupon_grant(id));
    fake.drain_bucket();
    DaemonProcess daemon(dir.str(), daemon_args(dir));
    REQUIRE(FakeShopify::wait_until([&] {
        return delivered(dir, "t-1") && delivered(dir, "t-2") && delivered(dir, "t-3") && delivered(dir, "t-4");
    }, 20000));
    CHECK(fake.discounts().size() == 4);
    // At most the first request, sent before the daemon had heard of the bucket, met it short;
    // without pacing each later one would arrive at an empty bucket and be THROTTLED too.
    CHECK(fake.throttled_answers() <= 1);
    CHECK(fake.operations("discountCodeBasicCreate") == 4);
}

TEST_CASE("a token Shopify stops accepting is renewed once and the delivery goes through") {
    TempDir dir;
    write_config(dir);
    FakeShopify fake;
    REQUIRE(add_shop(dir, fake.base_url()).exit_code == 0);
    enqueue(dir, coupon_grant("r-1"));
    DaemonProcess daemon(dir.str(), daemon_args(dir));
    REQUIRE(FakeShopify::wait_until([&] { return delivered(dir, "r-1"); }));
    const int tokens_before = fake.token_requests();
    fake.revoke_tokens();
    enqueue(dir, coupon_grant("r-2"));
    REQUIRE(FakeShopify::wait_until([&] { return delivered(dir, "r-2"); }));
    CHECK(fake.unauthorized_answers() == 1);
    CHECK(fake.token_requests() == tokens_before + 1);
    CHECK(fake.discounts().size() == 2);
    CHECK_FALSE(mentions_a_token(daemon.log(), fake));
}
