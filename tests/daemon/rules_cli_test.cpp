// `rewardd rules set` and `rules show` through the real binary: a real program in one file is
// recorded as a new version, a bad file names file, key and problem and changes nothing, and a
// restart of serve keeps the version the file set.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/daemon_process.hpp"

using namespace rewardd::test;
using nlohmann::json;

namespace {

std::string write_file(const TempDir& dir, const std::string& name, const std::string& text) {
    const auto path = (dir.path() / name).string();
    std::ofstream(path) << text;
    return path;
}

const char* k_program = R"(# A tiered program with a weekend double-points campaign, 5% cashback over 500, referrals.
effective_from = "2099-12-01T00:00:00Z"
pending_days = 14
redeem_cart_share_max = "50"
negative_policy = "write_off"

[multipliers.categories]
shoes = "1.5"

[[tiers]]
name = "bronze"
threshold = 0
multiplier = 1

[[tiers]]
name = "silver"
threshold = "1000.00"
multiplier = "1.25"

[[tiers]]
name = "gold"
threshold = "5000.00"
multiplier = 2

[[campaigns]]
id = "weekend"
starts = "2026-12-05T00:00:00Z"
ends = "2026-12-07T00:00:00Z"
multiplier = 2

[cashback]
rate = 5
min_order = "500.00"

[referral]
referee_points = 200
referrer_points = 500

[expiry]
inactive_days = 365
)";

json show(const std::string& data) {
    const auto r = run_rewardd({"rules", "show", "--json", "--all", "--data", data});
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

}  // namespace

TEST_CASE("a whole program in one rules file becomes a new version that show prints back") {
    TempDir dir;
    const auto path = write_file(dir, "program.toml", k_program);
    const auto set = run_rewardd({"rules", "set", path, "--data", dir.str()});
    CHECK(set.exit_code == 0);
    CHECK(set.out.find("rules version 2 recorded, effective from 2099-12-01T00:00:00Z") != std::string::npos);

    const json shown = show(dir.str());
    REQUIRE(shown["versions"].size() == 2);
    CHECK(shown["versions"][0]["source"] == "config");
    const json& v2 = shown["versions"][1];
    CHECK(v2["version"] == 2);
    CHECK(v2["effective_from"] == "2099-12-01T00:00:00Z");
    CHECK(v2["source"] == "file:" + path);
    const json& rules = v2["rules"];
    CHECK(rules["tiers"].size() == 3);
    CHECK(rules["tiers"][1]["threshold_milli"] == 1000000);
    CHECK(rules["tiers"][1]["multiplier_percent"] == 125);
    CHECK(rules["campaigns"][0]["multiplier_percent"] == 200);
    CHECK(rules["cashback"]["rate_bp"] == 500);
    CHECK(rules["cashback"]["min_order_milli"] == 500000);
    CHECK(rules["category_multipliers"]["shoes"] == 150);
    CHECK(rules["redeem_cart_share_max_bp"] == 5000);
    CHECK(rules["referral"]["referrer_points"] == 500);
    CHECK(rules["expiry"]["inactive_days"] == 365);
    CHECK(rules["negative_policy"] == "write_off");

    // The text form reads back to the same rules: setting it again changes nothing.
    const auto text = run_rewardd({"rules", "show", "--data", dir.str()});
    REQUIRE(text.exit_code == 0);
    CHECK(text.out.find("# version 2 (scheduled)") != std::string::npos);
    const auto again = run_rewardd({"rules", "set", path, "--data", dir.str()});
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("rules unchanged: version 2") != std::string::npos);

    // A restart of serve with the default config keeps the file's version as the latest.
    { DaemonProcess daemon(dir.str()); }
    CHECK(show(dir.str())["versions"].size() == 2);
}

TEST_CASE("a bad rules file names the file, the key and the problem, and changes nothing") {
    TempDir dir;
    const auto good = write_file(dir, "good.toml", "pending_days = 7\n");
    REQUIRE(run_rewardd({"rules", "set", good, "--data", dir.str()}).exit_code == 0);
    struct Row { std::string text; std::string key; std::string problem; };
    const Row rows[] = {
        {"pending_days = \"two weeks\"\n", "pending_days", "must be an integer"},
        {"colour = \"blue\"\n", "colour", "unknown key"},
        {"[[tiers]]\nname = \"silver\"\nthreshold = \"lots\"\n", "tiers[0].threshold", "not a decimal amount"},
        {"[multipliers.categories]\nshoes = 1.5\n", "multipliers.categories.shoes", "as a string"},
        {"[cashback]\nrate = 150\n", "cashback.rate", "must be 0..100"},
        {"[[campaigns]]\nid = \"w\"\nstarts = \"2026-12-07T00:00:00Z\"\nends = \"2026-12-05T00:00:00Z\"\n",
         "campaigns[0].ends", "must be after starts"},
        {"[[tiers]]\nname = \"a\"\nthreshold = 10\n[[tiers]]\nname = \"b\"\nthreshold = 5\n", "tiers[1].threshold",
         "increasing"},
        {"negative_policy = \"forgive\"\n", "negative_policy", "carry, write_off"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.text);
        const auto path = write_file(dir, "bad.toml", row.text);
        const auto r = run_rewardd({"rules", "set", path, "--data", dir.str()});
        CHECK(r.exit_code != 0);
        CHECK(r.err.find("invalid_rules") != std::string::npos);
        CHECK(r.err.find(path) != std::string::npos);
        CHECK(r.err.find(row.key) != std::string::npos);
        CHECK(r.err.find(row.problem) != std::string::npos);
    }
    const auto syntax = write_file(dir, "syntax.toml", "pending_days = \n");
    const auto r = run_rewardd({"rules", "set", syntax, "--data", dir.str()});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("line 1") != std::string::npos);
    const json shown = show(dir.str());
    REQUIRE(shown["versions"].size() == 2);
    CHECK(shown["versions"][1]["rules"]["pending_days"] == 7);
}

TEST_CASE("customer show tells how many points expire and when") {
    TempDir dir;
    const auto path = write_file(dir, "expiry.toml", "[expiry]\nlifetime_days = 30\n");
    REQUIRE(run_rewardd({"rules", "set", path, "--data", dir.str()}).exit_code == 0);
    const auto adjust = run_rewardd({"adjust", "ola@example.com", "--points", "120", "--reason", "gift", "--data", dir.str()});
    REQUIRE_MESSAGE(adjust.exit_code == 0, adjust.err);
    const auto doc = json::parse(run_rewardd({"customer", "show", "ola@example.com", "--json", "--data", dir.str()}).out);
    REQUIRE(doc["expiring"].size() == 1);
    CHECK(doc["next_expiry"]["points"] == 120);
    // 30 days after the adjustment: the entry's own instant plus 30 days, to the second.
    const auto adjusted_at = doc["history"][0]["effective_at"].get<std::string>();
    CHECK(doc["next_expiry"]["at"].get<std::string>() > adjusted_at);
    CHECK(doc["next_expiry"]["at"] == doc["expiring"][0]["at"]);
    const auto text = run_rewardd({"customer", "show", "ola@example.com", "--data", dir.str()});
    CHECK(text.out.find("expiring  120 points on " + doc["next_expiry"]["at"].get<std::string>()) != std::string::npos);
}

namespace {

// The same program with its weekend campaign moved into the past (orders paid then are released by now).
std::string past_program() {
    std::string text = k_program;
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"2026-12-05T", "2026-11-14T"}, {"2026-12-07T", "2026-11-16T"}}) {
        text.replace(text.find(from), from.size(), to);
    }
    return text;
}

std::string paid(const std::string& order, const std::string& at, std::int64_t total_minor) {
    return json{{"id", "evt-" + order}, {"type", "order.paid"}, {"occurred_at", at},
                {"order", {{"id", order}, {"currency", "EUR"},
                           {"customer", {{"id", "7"}, {"email", "ola@example.com"}}},
                           {"lines", {{{"id", "l1"}, {"product_id", "p1"}, {"quantity", 1}, {"total", total_minor}}}},
                           {"discount", 0}, {"tax", 0}, {"shipping", 0}, {"total", total_minor}}}}
        .dump();
}

}  // namespace

TEST_CASE("a program loaded from one file: explain tells the tier, the weekend campaign, the cashback and the points that will expire") {
    TempDir dir;
    const auto program = write_file(dir, "program.toml", past_program());
    const auto set = run_rewardd({"rules", "set", program, "--effective-from", "2026-01-01T00:00:00Z", "--data", dir.str()});
    REQUIRE_MESSAGE(set.exit_code == 0, set.err);
    const std::string secret = "program-secret-0123456789";
    REQUIRE(run_rewardd({"shop", "add", "demo", "--platform", "custom", "--secret", secret, "--data", dir.str()}).exit_code == 0);
    DaemonProcess daemon(dir.str());
    // 1,200.00 on a Monday (bronze, cashback over 500), then 100.00 on the campaign's Saturday (silver now).
    for (const auto& body : {paid("2001", "2026-11-02T10:00:00Z", 120000), paid("2002", "2026-11-14T10:00:00Z", 10000)}) {
        httplib::Headers h{{"X-Rewardd-Shop", "demo"}, {"X-Rewardd-Signature", sign(secret, body)}};
        auto res = daemon.client().Post("/api/v1/events", h, body, "application/json");
        REQUIRE(res);
        REQUIRE(res->status == 200);
    }
    // Both orders were paid more than 14 days ago: wait until the daemon has released them.
    json doc;
    for (int i = 0; i < 100; ++i) {
        const auto r = run_rewardd({"explain", "ola@example.com", "--json", "--data", dir.str()});
        if (r.exit_code == 0) {
            doc = json::parse(r.out);
            if (doc["pending"] == 0 && doc["available"].get<std::int64_t>() > 0) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // 1,200 x1 bronze; 100 x1.25 silver x2 weekend = 250.
    CHECK(doc["available"] == 1450);
    CHECK(doc["pending"] == 0);
    CHECK(doc["tier"] == "silver");
    REQUIRE(doc["expiring"].size() >= 1);
    CHECK(doc["next_expiry"]["points"].get<std::int64_t>() > 0);

    const auto text = run_rewardd({"explain", "ola@example.com", "--data", dir.str()});
    REQUIRE_MESSAGE(text.exit_code == 0, text.err);
    CAPTURE(text.out);
    CHECK(text.out.find("-> silver") != std::string::npos);      // the tier change, with its inputs
    CHECK(text.out.find("weekend") != std::string::npos);        // the campaign's multiplier on order 2002
    CHECK(text.out.find("cashback 60.00 EUR") != std::string::npos);
    CHECK(text.out.find("Tier now: silver.") != std::string::npos);
    CHECK(text.out.find(" points expire on ") != std::string::npos);
}
