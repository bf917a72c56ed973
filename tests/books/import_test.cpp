// import balances: each supported export read from its sample file, imported once however often
// it is run, bad rows named by line with nothing imported (or the good ones with --skip-bad), a dry
// run changing nothing, and reconcile still clean afterwards.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "books/balance_import.hpp"
#include "support/daemon_process.hpp"

using namespace rewardd;
using namespace rewardd::test;

namespace {

std::string fixture(const std::string& name) { return std::string(REWARDD_FIXTURES_DIR) + "/import/" + name; }

std::int64_t available(const std::string& data, const std::string& email) {
    const auto r = run_rewardd({"customer", "show", email, "--json", "--data", data});
    if (r.exit_code != 0) return -1;
    return nlohmann::json::parse(r.out)["available"].get<std::int64_t>();
}

CommandResult import(const std::string& data, const std::string& file, const std::string& source,
                     std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"import", "balances", fixture(file), "--format", "csv", "--source", source,
                                  "--data", data};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_rewardd(args);
}

}  // namespace

TEST_CASE("each source's export is read by its column names") {
    const auto smile = books::parse_balances("email,points\r\nA@Example.com,5\r\n", books::ImportSource::smile);
    REQUIRE(smile.rows.size() == 1);
    CHECK(smile.rows[0].email == "a@example.com");
    CHECK(smile.rows[0].line == 2);
    // YITH writes its header with fputcsv and the delimiter chosen in its export form.
    const auto yith = books::parse_balances("email;points\nkari@example.com;350\n", books::ImportSource::yith);
    REQUIRE(yith.rows.size() == 1);
    CHECK(yith.rows[0].points == 350);
    CHECK(yith.rows[0].line == 2);
    const auto bare = books::parse_balances("kari@example.com,350\n", books::ImportSource::yith);
    REQUIRE(bare.rows.size() == 1);
    CHECK(bare.rows[0].line == 1);
    const auto by_id = books::parse_balances("id,points\n12,350\n", books::ImportSource::yith);
    REQUIRE(by_id.bad.size() == 1);
    CHECK(by_id.bad[0].reason.find("Email and related points") != std::string::npos);
    const auto woo = books::parse_balances("user_id,user_email,points_balance\n1,x@example.com,7\n",
                                           books::ImportSource::woo_points_rewards);
    REQUIRE(woo.rows.size() == 1);
    CHECK(woo.rows[0].points == 7);
    const auto wrong = books::parse_balances("customer,balance\nx@example.com,7\n", books::ImportSource::smile);
    REQUIRE(wrong.bad.size() == 1);
    CHECK(wrong.bad[0].line == 1);
}

TEST_CASE("Smile, YITH and WooCommerce Points and Rewards exports import once, with their source recorded") {
    TempDir dir;
    const auto data = dir.str();
    auto r = import(data, "smile.csv", "smile");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find("imported 2 balances, 1275 points, from smile") != std::string::npos);
    REQUIRE(import(data, "yith.csv", "yith").exit_code == 0);
    REQUIRE(import(data, "woo-points-rewards.csv", "woo-points-rewards").exit_code == 0);
    CHECK(available(data, "kari.nordmann@example.com") == 1200);
    CHECK(available(data, "per.hansen@example.com") == 75);
    CHECK(available(data, "kari@example.com") == 350);
    CHECK(available(data, "ola@example.com") == 90);  // 0 from Smile, 90 from YITH
    CHECK(available(data, "anne@example.com") == 400);
    const auto explain = run_rewardd({"explain", "anne@example.com", "--data", data});
    CHECK(explain.out.find("opening balance imported from woo-points-rewards (line 2)") != std::string::npos);

    const auto again = import(data, "smile.csv", "smile");
    REQUIRE(again.exit_code == 0);
    CHECK(again.out.find("already imported, unchanged") != std::string::npos);
    CHECK(again.out.find("imported 0 balances") != std::string::npos);
    CHECK(available(data, "kari.nordmann@example.com") == 1200);
    const auto reconciled = run_rewardd({"reconcile", "--data", data});
    CHECK_MESSAGE(reconciled.exit_code == 0, reconciled.out);
}

TEST_CASE("bad rows are named by line and nothing is imported unless --skip-bad, and a dry run writes "
          "nothing") {
    TempDir dir;
    const auto data = dir.str();
    const auto refused = import(data, "smile-bad.csv", "smile");
    CHECK(refused.exit_code == 1);
    for (const char* line : {"smile-bad.csv:3: not an e-mail", "smile-bad.csv:4: points must be a whole number",
                             "smile-bad.csv:5: the same customer as line 2", "smile-bad.csv:6: points must be"}) {
        CHECK_MESSAGE(refused.err.find(line) != std::string::npos, refused.err);
    }
    CHECK(available(data, "good@example.com") == -1);

    const auto dry = import(data, "smile-bad.csv", "smile", {"--skip-bad", "--dry-run"});
    REQUIRE(dry.exit_code == 0);
    CHECK(dry.out.find("dry run: would import 1 balances, 10 points") != std::string::npos);
    CHECK(available(data, "good@example.com") == -1);

    const auto skipped = import(data, "smile-bad.csv", "smile", {"--skip-bad"});
    REQUIRE(skipped.exit_code == 0);
    CHECK(available(data, "good@example.com") == 10);
    CHECK(import(data, "smile.csv", "nobody").exit_code != 0);
}
