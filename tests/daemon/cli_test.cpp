// The command line against a temporary data folder: config errors, init, shops, adjust, explain.
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "support/daemon_process.hpp"

using namespace rewardd::test;
using nlohmann::json;

namespace {

std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
    const auto path = (dir.path() / name).string();
    std::ofstream(path) << text;
    return path;
}

}  // namespace

TEST_CASE("a bad config names the file, the key and the problem, and exits non-zero") {
    TempDir dir;
    struct Row { std::string text; std::string key; std::string problem; };
    const Row rows[] = {
        {"listen = \"nowhere\"\n", "listen", "HOST:PORT"},
        {"http_threads = 0\n", "http_threads", "between 1 and 256"},
        {"durability = \"sometimes\"\n", "durability", "one of"},
        {"colour = \"blue\"\n", "colour", "unknown key"},
        {"[rules]\npending_days = \"two weeks\"\n", "rules.pending_days", "integer"},
        {"[rules]\nearn_per_units = 0\n", "rules.earn_per_units", "between"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.text);
        const auto path = write(dir, "bad.conf", row.text);
        const auto r = run_rewardd({"serve", "--config", path, "--data", dir.str()});
        CHECK(r.exit_code != 0);
        CHECK(r.err.find(path) != std::string::npos);
        CHECK(r.err.find("'" + row.key + "'") != std::string::npos);
        CHECK(r.err.find(row.problem) != std::string::npos);
    }
    const auto syntax = write(dir, "syntax.conf", "listen = \n");
    const auto r = run_rewardd({"serve", "--config", syntax});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("line 1") != std::string::npos);
}

TEST_CASE("init writes a default config that serve accepts, and never overwrites silently") {
    TempDir dir;
    const auto path = (dir.path() / "rewardd.conf").string();
    CHECK(run_rewardd({"init", path}).exit_code == 0);
    CHECK(run_rewardd({"init", path}).exit_code != 0);
    DaemonProcess daemon(dir.str(), {"--config", path});
    CHECK(daemon.client().Get("/readyz")->status == 200);
}

TEST_CASE("shops are added, listed without their secrets, and removed") {
    TempDir dir;
    const auto data = dir.str();
    CHECK(run_rewardd({"shop", "add", "wc1", "--platform", "woocommerce", "--secret", "s3cretvalue123",
                       "--url", "https://shop.example", "--consumer-key", "ck_1", "--consumer-secret",
                       "cs_abcdefgh", "--data", data}).exit_code == 0);
    const auto bad = run_rewardd({"shop", "add", "x", "--platform", "magento", "--secret", "s3cretvalue123", "--data", data});
    CHECK(bad.exit_code != 0);
    CHECK(bad.err.find("platform") != std::string::npos);
    const auto list = run_rewardd({"shop", "list", "--json", "--data", data});
    REQUIRE(list.exit_code == 0);
    CHECK(list.out.find("s3cretvalue123") == std::string::npos);
    CHECK(list.out.find("cs_abcdefgh") == std::string::npos);
    const auto shops = json::parse(list.out);
    REQUIRE(shops.size() == 1);
    CHECK(shops[0]["settings"]["url"] == "https://shop.example");
    CHECK(run_rewardd({"shop", "remove", "wc1", "--data", data}).exit_code == 0);
    CHECK(run_rewardd({"shop", "remove", "wc1", "--data", data}).exit_code != 0);
}

TEST_CASE("a manual adjustment is recorded with its reason and explained") {
    TempDir dir;
    const auto data = dir.str();
    const auto r = run_rewardd({"adjust", "Ola@Example.com", "--points", "120", "--reason", "welcome gift", "--data", data});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find("ola@example.com") == std::string::npos);  // e-mails are masked in output lines
    const auto show = json::parse(run_rewardd({"customer", "show", "ola@example.com", "--json", "--data", data}).out);
    CHECK(show["available"] == 120);
    const auto explain = run_rewardd({"explain", "ola@example.com", "--data", data});
    CHECK(explain.out.find("welcome gift") != std::string::npos);
    const auto ejson = json::parse(run_rewardd({"explain", "ola@example.com", "--json", "--data", data}).out);
    CHECK(ejson["entries"][0]["available_after"] == 120);
    // --entries names each entry by its kind: a redemption is no manual adjustment.
    REQUIRE(run_rewardd({"shop", "add", "wc1", "--platform", "woocommerce", "--secret", "s3cret-s3cret", "--url",
                         "http://127.0.0.1:9", "--consumer-key", "ck_x", "--consumer-secret", "cs_x", "--currency",
                         "NOK", "--data", data})
                .exit_code == 0);
    REQUIRE(run_rewardd({"adjust", "ola@example.com", "--points", "500", "--reason", "top up", "--data", data})
                .exit_code == 0);
    const auto redeemed = run_rewardd({"redeem", "ola@example.com", "--points", "500", "--shop", "wc1", "--id", "r1",
                                       "--data", data});
    REQUIRE_MESSAGE(redeemed.exit_code == 0, redeemed.err);
    const auto entries = run_rewardd({"explain", "ola@example.com", "--entries", "--data", data}).out;
    CHECK(entries.find("manual adjustment: welcome gift") != std::string::npos);
    CHECK(entries.find("-500  reserve: ") != std::string::npos);
    CHECK(entries.find("manual adjustment: rewardd:") == std::string::npos);
    CHECK(run_rewardd({"adjust", "ola@example.com", "--points", "0", "--reason", "x", "--data", data}).exit_code != 0);
}

TEST_CASE("an adjustment with --id is made once however often it is run, and the id stands for one adjustment") {
    TempDir dir;
    const auto data = dir.str();
    const std::vector<std::string> once{"adjust", "ola@example.com", "--points", "70", "--reason", "parcel lost",
                                        "--id", "ticket-812", "--data", data};
    const auto first = run_rewardd(once);
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    const auto again = run_rewardd(once);  // a retry after an error, or a script run twice
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("unchanged") != std::string::npos);
    const auto show = [&] {
        return json::parse(run_rewardd({"customer", "show", "ola@example.com", "--json", "--data", data}).out);
    };
    CHECK(show()["available"] == 70);
    const auto other = run_rewardd({"adjust", "ola@example.com", "--points", "700", "--reason", "parcel lost", "--id",
                                    "ticket-812", "--data", data});
    CHECK(other.exit_code != 0);
    CHECK(other.err.find("exists_with_different_content") != std::string::npos);
    CHECK(show()["available"] == 70);
    CHECK(run_rewardd({"adjust", "ola@example.com", "--points", "5", "--reason", "x", "--id", "a:b", "--data", data})
              .exit_code != 0);
}

TEST_CASE("redeem refuses a custom shop and a currency other than the shop's, and reserves nothing") {
    TempDir dir;
    const auto data = dir.str();
    REQUIRE(run_rewardd({"adjust", "ola@example.com", "--points", "500", "--reason", "gift", "--data", data}).exit_code == 0);
    const auto available = [&] {
        return json::parse(run_rewardd({"customer", "show", "ola@example.com", "--json", "--data", data}).out)["available"];
    };
    REQUIRE(run_rewardd({"shop", "add", "c1", "--platform", "custom", "--secret", "s3cret-s3cret", "--data", data})
                .exit_code == 0);
    const auto custom = run_rewardd({"redeem", "ola@example.com", "--points", "100", "--shop", "c1", "--id", "r1",
                                     "--currency", "NOK", "--data", data});
    CHECK(custom.exit_code != 0);
    CHECK(custom.err.find("custom shop") != std::string::npos);  // its points would stay reserved for ever
    CHECK(available() == 500);

    REQUIRE(run_rewardd({"shop", "add", "wc1", "--platform", "woocommerce", "--secret", "s3cret-s3cret", "--url",
                         "http://127.0.0.1:9", "--consumer-key", "ck_x", "--consumer-secret", "cs_x", "--currency", "NOK",
                         "--data", data})
                .exit_code == 0);
    const auto other = run_rewardd({"redeem", "ola@example.com", "--points", "100", "--shop", "wc1", "--id", "r2",
                                    "--currency", "USD", "--data", data});
    CHECK(other.exit_code != 0);
    CHECK(other.err.find("currency") != std::string::npos);
    CHECK(available() == 500);
    const auto same = run_rewardd({"redeem", "ola@example.com", "--points", "500", "--shop", "wc1", "--id", "r3",
                                   "--currency", "NOK", "--data", data});  // 500: the default minimum
    CHECK_MESSAGE(same.exit_code == 0, same.err);
    CHECK(available() == 0);
}

TEST_CASE("unknown customers and unknown commands fail with a message on stderr") {
    TempDir dir;
    const auto r = run_rewardd({"customer", "show", "nobody@example.com", "--data", dir.str()});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("not_found") != std::string::npos);
    CHECK(run_rewardd({"frobnicate"}).exit_code != 0);
    CHECK(run_rewardd({"serve", "--help"}).out.find("--listen") != std::string::npos);
}
