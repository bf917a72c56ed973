// End to end: /api/v1 bearer tokens made by `rewardd token create|list|revoke`, answered 401
// without a valid token, 403 when the scope is too small, 429 over the per-token budget.
#include <fstream>

#include "daemon/api_support.hpp"

using namespace rewardd::test;
using nlohmann::json;

TEST_CASE("token create prints the token once and the database keeps only its hash") {
    TempDir dir;
    const std::string token = create_token(dir.str(), "admin");
    CHECK(token.rfind("rwd_", 0) == 0);
    CHECK(token.size() == 44);
    CHECK(create_token(dir.str(), "admin") != token);

    const auto listed = run_rewardd({"token", "list", "--json", "--data", dir.str()});
    REQUIRE(listed.exit_code == 0);
    const auto tokens = json::parse(listed.out);
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[0]["id"] == 1);
    CHECK(tokens[0]["scope"] == "admin");
    CHECK(tokens[0]["name"] == "test admin");
    CHECK(tokens[0]["revoked_at"].is_null());
    CHECK(listed.out.find(token) == std::string::npos);
    for (const char* file : {"rewardd.db", "rewardd.db-wal"}) {
        std::ifstream in(dir.path() / file, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK_MESSAGE(bytes.find(token.substr(4)) == std::string::npos, file << " holds the token in clear");
    }
}

TEST_CASE("token create refuses an unknown scope and token revoke an unknown id") {
    TempDir dir;
    const auto bad_scope = run_rewardd({"token", "create", "--scope", "root", "--data", dir.str()});
    CHECK(bad_scope.exit_code == 1);
    CHECK(bad_scope.err.find("invalid_field") != std::string::npos);
    const auto unknown = run_rewardd({"token", "revoke", "7", "--data", dir.str()});
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err.find("not_found") != std::string::npos);
}

TEST_CASE("a request without a token, with an unknown one or with a revoked one is answered 401") {
    TempDir dir;
    const std::string token = create_token(dir.str(), "storefront");
    DaemonProcess daemon(dir.str());
    auto cli = daemon.client();

    auto none = cli.Get("/api/v1/status");
    REQUIRE(none);
    CHECK(none->status == 401);
    CHECK(body_of(none)["error"] == "unauthorized");
    CHECK(none->get_header_value("WWW-Authenticate").rfind("Bearer", 0) == 0);

    auto wrong = cli.Get("/api/v1/status", bearer("rwd_notatoken"));
    REQUIRE(wrong);
    CHECK(wrong->status == 401);
    CHECK(body_of(wrong)["error"] == "unauthorized");

    auto basic = cli.Get("/api/v1/status", {{"Authorization", "Basic " + token}});
    REQUIRE(basic);
    CHECK(basic->status == 401);

    auto good = cli.Get("/api/v1/status", bearer(token));
    REQUIRE(good);
    CHECK(good->status == 200);

    REQUIRE(run_rewardd({"token", "revoke", "1", "--data", dir.str()}).exit_code == 0);
    auto revoked = cli.Get("/api/v1/status", bearer(token));
    REQUIRE(revoked);
    CHECK(revoked->status == 401);
    CHECK(body_of(revoked)["error"] == "unauthorized");
    const auto listed = json::parse(run_rewardd({"token", "list", "--json", "--data", dir.str()}).out);
    CHECK(listed[0]["revoked_at"].is_string());
}

TEST_CASE("a storefront token reads but may not register or remove shops (403 forbidden)") {
    TempDir dir;
    add_custom_shop(dir.str(), "demo");
    const std::string storefront = create_token(dir.str(), "storefront");
    DaemonProcess daemon(dir.str());
    auto cli = daemon.client();
    const json shop{{"id", "wp1"}, {"platform", "custom"}, {"secret", "0123456789abcdef"}};

    auto add = cli.Post("/api/v1/shops", bearer(storefront), shop.dump(), "application/json");
    REQUIRE(add);
    CHECK(add->status == 403);
    CHECK(body_of(add)["error"] == "forbidden");
    auto remove = cli.Delete("/api/v1/shops/demo", bearer(storefront));
    REQUIRE(remove);
    CHECK(remove->status == 403);
    CHECK(body_of(remove)["error"] == "forbidden");
    auto status = cli.Get("/api/v1/status", bearer(storefront));
    REQUIRE(status);
    CHECK(status->status == 200);
    CHECK(body_of(status)["shops"] == 1);  // demo was not removed
}

TEST_CASE("a token over api_requests_per_minute_max gets 429 with Retry-After, other tokens go on") {
    TempDir dir;
    const auto config = (dir.path() / "rewardd.conf").string();
    std::ofstream(config) << "api_requests_per_minute_max = 3\n";
    const std::string busy = create_token(dir.str(), "storefront");
    const std::string other = create_token(dir.str(), "storefront");
    DaemonProcess daemon(dir.str(), {"--config", config});
    auto cli = daemon.client();

    for (int i = 0; i < 3; ++i) {
        auto ok = cli.Get("/api/v1/status", bearer(busy));
        REQUIRE(ok);
        CHECK(ok->status == 200);
    }
    auto limited = cli.Get("/api/v1/status", bearer(busy));
    REQUIRE(limited);
    CHECK(limited->status == 429);
    CHECK(body_of(limited)["error"] == "rate_limited");
    const int retry_after = std::stoi(limited->get_header_value("Retry-After"));
    CHECK(retry_after >= 1);
    CHECK(retry_after <= 20);  // 3 a minute: one request's share is 20 s

    auto fine = cli.Get("/api/v1/status", bearer(other));
    REQUIRE(fine);
    CHECK(fine->status == 200);
}
