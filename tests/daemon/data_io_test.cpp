// End to end: `rewardd export` (CSV and JSON Lines, streamed), `backup` while the daemon runs,
// and `restore` refused beside a running daemon, accepted once it has stopped.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <tuple>

#include "support/daemon_process.hpp"
#include "support/recent_dates.hpp"
#include "views/export_rows.hpp"

using namespace rewardd::test;
using nlohmann::json;

namespace {

const std::string k_secret = "export-secret-0123456789";

std::string paid(const std::string& order, const std::string& email, std::int64_t total) {
    return as_recent(json{{"id", "paid-" + order}, {"type", "order.paid"}, {"occurred_at", "2026-11-22T10:00:00Z"},
                {"order", {{"id", order}, {"currency", "EUR"}, {"customer", {{"id", ""}, {"email", email}}},
                           {"lines", {{{"id", "l1"}, {"product_id", "p1"}, {"quantity", 1}, {"total", total}}}},
                           {"discount", 0}, {"tax", 0}, {"shipping", 0}, {"total", total}}}}
                         .dump());  // paid yesterday: still pending by the real clock
}

// Starts a daemon on `data`, posts three paid orders (two customers) and waits for the ledger.
void seed(const std::string& data, DaemonProcess& daemon) {
    for (const auto& [order, email, total] : {std::tuple{"1", "ana@example.com", 12345},
                                              std::tuple{"2", "ana@example.com", 1000},
                                              std::tuple{"3", "bo, \"the\" buyer@example.com", 5000}}) {
        const std::string body = paid(order, email, total);
        httplib::Headers h{{"X-Rewardd-Shop", "s"}, {"X-Rewardd-Signature", sign(k_secret, body)}};
        REQUIRE(daemon.client().Post("/api/v1/events", h, body, "application/json")->status == 200);
    }
    for (int i = 0; i < 200; ++i) {
        const auto r = run_rewardd({"export", "ledger", "--format", "jsonl", "--data", data});
        if (std::count(r.out.begin(), r.out.end(), '\n') == 3) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    FAIL("the ledger never reached 3 entries");
}

std::vector<json> jsonl(const std::string& text) {
    std::vector<json> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) rows.push_back(json::parse(line));
    return rows;
}

}  // namespace

TEST_CASE("CSV fields are quoted only when they must be, quotes doubled") {
    CHECK(rewardd::csv_field("plain") == "plain");
    CHECK(rewardd::csv_field("a,b") == "\"a,b\"");
    CHECK(rewardd::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(rewardd::csv_field("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("export streams customers, ledger and events as JSON Lines and CSV with exact values") {
    TempDir dir;
    REQUIRE(run_rewardd({"shop", "add", "s", "--platform", "custom", "--secret", k_secret, "--data", dir.str()})
                .exit_code == 0);
    {
        DaemonProcess daemon(dir.str());
        seed(dir.str(), daemon);
    }
    const auto customers = jsonl(run_rewardd({"export", "customers", "--format", "jsonl", "--data", dir.str()}).out);
    REQUIRE(customers.size() == 2);
    CHECK(customers[0]["email"] == "ana@example.com");
    CHECK(customers[0]["pending"] == 123 + 10);
    CHECK(customers[0]["entries"] == 2);
    CHECK(customers[1]["pending"] == 50);

    const auto ledger = jsonl(run_rewardd({"export", "ledger", "--format", "jsonl", "--data", dir.str()}).out);
    REQUIRE(ledger.size() == 3);
    CHECK(ledger[0]["key"] == "s:order:1:earn:l1");
    CHECK(ledger[0]["pending_delta"] == 123);
    CHECK(ledger[0]["effective_at"] == as_recent("2026-11-22T10:00:00Z"));

    const auto events = jsonl(run_rewardd({"export", "events", "--format", "jsonl", "--data", dir.str()}).out);
    REQUIRE(events.size() == 3);
    CHECK(events[2]["body"]["order"]["total"] == 5000);  // the stored body, nested as JSON

    const auto csv = run_rewardd({"export", "customers", "--data", dir.str()});
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("id,customer,email,first_seen_at,available,pending,entries,last_activity_at\r\n", 0) == 0);
    CHECK(csv.out.find("\"bo, \"\"the\"\" buyer@example.com\"") != std::string::npos);

    const auto out = dir.path() / "ledger.csv";
    REQUIRE(run_rewardd({"export", "ledger", "--out", out.string(), "--data", dir.str()}).exit_code == 0);
    const std::string file = read_file(out.string());
    CHECK(std::count(file.begin(), file.end(), '\n') == 4);  // header and three rows
    CHECK_FALSE(std::filesystem::exists(out.string() + ".partial"));

    const auto bad = run_rewardd({"export", "orders", "--data", dir.str()});
    CHECK(bad.exit_code != 0);
    CHECK(bad.err.find("customers, ledger or events") != std::string::npos);
}

TEST_CASE("a backup taken while the daemon runs restores to the same ledger, restore waits for the daemon to stop") {
    TempDir dir, other;
    REQUIRE(run_rewardd({"shop", "add", "s", "--platform", "custom", "--secret", k_secret, "--data", dir.str()})
                .exit_code == 0);
    const auto file = (other.path() / "rewardd-backup.db").string();
    std::string ledger_before;
    {
        DaemonProcess daemon(dir.str());
        seed(dir.str(), daemon);
        const auto b = run_rewardd({"backup", file, "--data", dir.str()});
        REQUIRE_MESSAGE(b.exit_code == 0, b.err);
        CHECK(b.out.find("3 ledger entries") != std::string::npos);
        CHECK(run_rewardd({"backup", file, "--data", dir.str()}).exit_code != 0);  // never overwrites

        const auto refused = run_rewardd({"restore", file, "--data", dir.str()});
        CHECK(refused.exit_code != 0);
        CHECK(refused.err.find("stop it before restoring") != std::string::npos);

        // A second daemon on the same data folder is refused too.
        const auto second = run_rewardd({"serve", "--data", dir.str(), "--listen", "127.0.0.1:" + std::to_string(free_port())});
        CHECK(second.exit_code != 0);
        CHECK(second.err.find("already running") != std::string::npos);
        ledger_before = run_rewardd({"export", "ledger", "--format", "jsonl", "--data", dir.str()}).out;
    }
    const auto fresh = (other.path() / "restored").string();
    const auto r = run_rewardd({"restore", file, "--data", fresh});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(run_rewardd({"export", "ledger", "--format", "jsonl", "--data", fresh}).out == ledger_before);

    const auto junk = (other.path() / "junk.db").string();
    { std::ofstream(junk) << "not a database"; }
    CHECK(run_rewardd({"restore", junk, "--data", fresh}).exit_code != 0);
    CHECK(run_rewardd({"export", "ledger", "--format", "jsonl", "--data", fresh}).out == ledger_before);
}

TEST_CASE("gdpr export shows everything held about a customer, gdpr erase removes it and keeps the sums") {
    TempDir dir;
    REQUIRE(run_rewardd({"shop", "add", "s", "--platform", "custom", "--secret", k_secret, "--data", dir.str()})
                .exit_code == 0);
    {
        DaemonProcess daemon(dir.str());
        seed(dir.str(), daemon);
    }
    const auto exported = run_rewardd({"gdpr", "export", "Ana@Example.com", "--data", dir.str()});
    REQUIRE_MESSAGE(exported.exit_code == 0, exported.err);
    const auto data = json::parse(exported.out);
    CHECK(data["ledger"].size() == 2);
    CHECK(data["events"].size() == 2);

    const auto sum = [&] {
        std::int64_t total = 0;
        for (const auto& row : jsonl(run_rewardd({"export", "ledger", "--format", "jsonl", "--data", dir.str()}).out)) {
            total += row["pending_delta"].get<std::int64_t>() + row["available_delta"].get<std::int64_t>();
        }
        return total;
    };
    // An imported opening balance: its key and event id spell the e-mail ("import-smile-<e-mail>").
    const std::string balances = dir.str() + "/smile.csv";
    std::ofstream(balances) << "email,points\nana@example.com,40\n";
    const auto imported = run_rewardd({"import", "balances", balances, "--format", "csv", "--source", "smile",
                                       "--data", dir.str()});
    REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
    REQUIRE(run_rewardd({"export", "ledger", "--format", "csv", "--data", dir.str()}).out.find("import-smile-ana@") !=
            std::string::npos);
    const auto before = sum();
    const auto erased = run_rewardd({"gdpr", "erase", "ana@example.com", "--reason", "ticket 42", "--data", dir.str()});
    REQUIRE_MESSAGE(erased.exit_code == 0, erased.err);
    CHECK(erased.out.find("stored events scrubbed: ") != std::string::npos);
    CHECK(sum() == before);
    for (const char* what : {"customers", "ledger", "events"}) {
        for (const char* format : {"jsonl", "csv"}) {
            CAPTURE(what);
            CAPTURE(format);
            CHECK(run_rewardd({"export", what, "--format", format, "--data", dir.str()}).out.find("ana@example.com") ==
                  std::string::npos);
        }
    }
    CHECK(run_rewardd({"customer", "show", "ana@example.com", "--data", dir.str()}).exit_code != 0);
    // The erased customer's books go on under the pseudonym: an adjustment lands there (it was
    // reported done and written nowhere, since the record has no e-mail any more).
    std::string pseudonym;
    for (const auto& row : jsonl(run_rewardd({"export", "customers", "--format", "jsonl", "--data", dir.str()}).out)) {
        const std::string key = row.value("key", row.value("customer", ""));
        if (key.ends_with("@erased.invalid")) pseudonym = key;
    }
    REQUIRE_FALSE(pseudonym.empty());
    const auto adjusted = run_rewardd({"adjust", pseudonym, "--points", "25", "--reason", "goodwill", "--data", dir.str()});
    REQUIRE_MESSAGE(adjusted.exit_code == 0, adjusted.err);
    CHECK(sum() == before + 25);
    const auto unknown = run_rewardd({"gdpr", "erase", "nobody@example.com", "--data", dir.str()});
    CHECK(unknown.exit_code != 0);
    CHECK(unknown.err.find("no such customer") != std::string::npos);
}
