// explain under point expiry tells the outlook the customer's last walk kept (store/customer_outlook)
// while it holds for the ledger, and walks the ledger itself once it does not: an entry written
// since, or a newer rules version. An erasure takes the kept outlook to the pseudonym.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>

#include <fstream>

#include "support/daemon_process.hpp"

using namespace rewardd::test;

namespace {

std::string write_file(const TempDir& dir, const std::string& name, const std::string& text) {
    const auto path = (dir.path() / name).string();
    std::ofstream(path) << text;
    return path;
}

void exec_sql(const TempDir& dir, const std::string& sql) {
    SQLite::Database db((dir.path() / "rewardd.db").string(), SQLite::OPEN_READWRITE);
    db.exec(sql);
}

std::int64_t query_int(const TempDir& dir, const std::string& sql) {
    SQLite::Database db((dir.path() / "rewardd.db").string(), SQLite::OPEN_READONLY);
    return db.execAndGet(sql).getInt64();
}

std::string explain(const TempDir& dir, const std::string& customer) {
    const auto r = run_rewardd({"explain", customer, "--data", dir.str()});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return r.out;
}

bool tells(const std::string& text, const std::string& line) { return text.find(line) != std::string::npos; }

// 7 points on 2100-01-01, planted in the kept outlook: only a told kept outlook says so.
const char* k_planted = "7 points expire on 2100-01-01T00:00:00Z unless used.";
const char* k_plant = "UPDATE customer_outlooks SET expiring = '[[4102444800,7]]'";

// A version for later: the ledger's lots keep the lifetime they began under.
const char* k_later_rules = "effective_from = \"2099-01-01T00:00:00Z\"\n[expiry]\nlifetime_days = 40\n";

}  // namespace

TEST_CASE("explain tells the kept expiry outlook while it holds, and walks the ledger once it does not") {
    TempDir dir;
    REQUIRE(run_rewardd({"rules", "set", write_file(dir, "expiry.toml", "[expiry]\nlifetime_days = 30\n"), "--data",
                         dir.str()}).exit_code == 0);
    const auto adjust = run_rewardd({"adjust", "ola@example.com", "--points", "120", "--reason", "gift", "--data", dir.str()});
    REQUIRE_MESSAGE(adjust.exit_code == 0, adjust.err);
    // The adjustment's walk kept the outlook, at the ledger's newest entry.
    REQUIRE(query_int(dir, "SELECT COUNT(*) FROM customer_outlooks WHERE customer = 'ola@example.com' AND "
                           "last_entry_seq = (SELECT MAX(seq) FROM ledger)") == 1);
    const std::string told = explain(dir, "ola@example.com");
    CAPTURE(told);
    CHECK(tells(told, "120 points expire on "));

    SUBCASE("told from the kept outlook, the same as the walk tells") {
        exec_sql(dir, "DELETE FROM customer_outlooks");
        CHECK(explain(dir, "ola@example.com") == told);
    }
    SUBCASE("the kept outlook is what is told") {
        exec_sql(dir, k_plant);
        CHECK(tells(explain(dir, "ola@example.com"), k_planted));
    }
    SUBCASE("an entry written since the walk: the ledger is walked") {
        exec_sql(dir, std::string(k_plant) + ", last_entry_seq = last_entry_seq - 1");
        CHECK(explain(dir, "ola@example.com") == told);
    }
    SUBCASE("a rules version newer than the walk's: the ledger is walked") {
        exec_sql(dir, k_plant);
        const auto later = run_rewardd({"rules", "set", write_file(dir, "later.toml", k_later_rules), "--data", dir.str()});
        REQUIRE_MESSAGE(later.exit_code == 0, later.err);
        CHECK(explain(dir, "ola@example.com") == told);
    }
    SUBCASE("an erasure takes the kept outlook to the pseudonym, and no e-mail stays in it") {
        const auto erased = run_rewardd({"gdpr", "erase", "ola@example.com", "--data", dir.str()});
        REQUIRE_MESSAGE(erased.exit_code == 0, erased.err);
        CHECK(query_int(dir, "SELECT COUNT(*) FROM customer_outlooks WHERE customer LIKE '%ola@%'") == 0);
        REQUIRE(query_int(dir, "SELECT COUNT(*) FROM customer_outlooks WHERE customer LIKE '%@erased.invalid'") == 1);
        exec_sql(dir, k_plant);
        SQLite::Database db((dir.path() / "rewardd.db").string(), SQLite::OPEN_READONLY);
        const std::string pseudonym = db.execAndGet("SELECT customer FROM customer_outlooks").getString();
        CHECK(tells(explain(dir, pseudonym), k_planted));
    }
}
