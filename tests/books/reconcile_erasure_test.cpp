// reconcile after a GDPR erasure: the erasure scrubs the stored events, so the replay writes the
// customer's pseudonym wherever it wrote their e-mail, also inside keys and ids of entries that
// belong to someone else (a referrer's reward is keyed by the referee) or that came from an
// imported balance (its event id names the e-mail). The recorded ledger, read under the same
// pseudonyms, must then agree, and the erasure must leave the e-mail nowhere in the events. An
// erased referrer's code, made from their e-mail, still names them (their pseudonym) in the replay.
#include "books/books_history.hpp"
#include "books/program_history.hpp"
#include "books/reconcile.hpp"
#include "fakes/fake_woocommerce.hpp"

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::books;

namespace {

std::vector<std::string> findings_of(const std::string& data) {
    const auto r = run_rewardd({"reconcile", "--json", "--data", data});
    const auto doc = nlohmann::json::parse(r.out, nullptr, false);
    REQUIRE_MESSAGE(doc.is_object(), r.out, r.err);
    std::vector<std::string> out;
    for (const auto& f : doc["findings"]) {
        out.push_back(f["kind"].get<std::string>() + " " + f["subject"].get<std::string>());
        MESSAGE(out.back() << ": " << f["detail"].get<std::string>());
    }
    return out;
}

std::string one(SQLite::Database& db, const std::string& sql) { return db.execAndGet(sql).getString(); }

void erase(const std::string& data, const std::string& email) {
    const auto r = run_rewardd({"gdpr", "erase", email, "--data", data});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

std::int64_t count(const std::string& data, const std::string& sql) {
    SQLite::Database db(database_path(data), SQLite::OPEN_READONLY);
    return db.execAndGet(sql).getInt64();
}

std::int64_t events_naming(const std::string& data, const std::string& email) {
    return count(data, "SELECT COUNT(*) FROM events WHERE instr(body, '" + email + "') > 0 OR instr(event_id, '" +
                           email + "') > 0");
}

}  // namespace

// A program history with referrals (tests/books/program_history.hpp), applied as the daemon does.
void make_referral_history(History& h, const FakeWooCommerce& shop) {
    Rules rules = program_rules();
    rules.cashback.rate_bp = 0;  // cashback would need the outbox's grants; referrals are the point here
    for (auto& c : rules.campaigns) c.cashback_bp = 0;
    open_history(h, woocommerce_shop(shop.url()), rules);
    apply_log(h, program_events(k_shop, plan_program_orders(k_shop, 300, 7)), {}, Arrival::as_received);
}

// Reconciles clean before and after `who` is erased, and the erasure left their e-mail in no event.
void erase_and_reconcile(History& h, const std::string& who) {
    REQUIRE(who.find('@') != std::string::npos);
    h.db.reset();
    REQUIRE(findings_of(h.data()).empty());
    erase(h.data(), who);
    CHECK(events_naming(h.data(), who) == 0);
    CHECK(findings_of(h.data()).empty());
}

TEST_CASE("erasing a referred customer leaves their referrer's reward agreeing with the replay") {
    FakeWooCommerce fake(k_key, k_secret);  // the shop reconcile lists coupons from: none
    History h;
    make_referral_history(h, fake);
    // A referee whose referrer was rewarded, and who referred nobody themselves (see below).
    const std::string referee = one(*h.db, "SELECT w.customer FROM ledger w JOIN ledger r ON r.key = "
                                           "substr(w.key, 1, length(w.key) - 8) || ':referrer' WHERE w.key LIKE "
                                           "'%:welcome' AND w.customer NOT IN (SELECT customer FROM ledger WHERE key "
                                           "LIKE '%:referrer') LIMIT 1");
    erase_and_reconcile(h, referee);
}

TEST_CASE("erasing a referrer leaves the referrals their code brought agreeing with the replay") {
    FakeWooCommerce fake(k_key, k_secret);
    History h;
    make_referral_history(h, fake);
    const std::string referrer = one(*h.db, "SELECT customer FROM ledger WHERE key LIKE '%:referrer' GROUP BY customer "
                                            "ORDER BY COUNT(*) DESC LIMIT 1");
    const std::string referee = one(*h.db, "SELECT w.customer FROM ledger w JOIN ledger r ON r.key = "
                                           "substr(w.key, 1, length(w.key) - 8) || ':referrer' WHERE w.key LIKE "
                                           "'%:welcome' AND r.customer = '" + referrer + "' LIMIT 1");
    erase_and_reconcile(h, referrer);
    SUBCASE("and then one of the customers they referred") { erase_and_reconcile(h, referee); }
}

TEST_CASE("erasing a customer with an imported balance scrubs the import's event id and reconciles clean") {
    TempDir dir;
    const auto imported = run_rewardd({"import", "balances", std::string(REWARDD_FIXTURES_DIR) +
                                       "/import/woo-points-rewards.csv", "--format", "csv", "--source",
                                       "woo-points-rewards", "--data", dir.str()});
    REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
    REQUIRE(events_naming(dir.str(), "anne@example.com") == 1);

    erase(dir.str(), "anne@example.com");
    CHECK(events_naming(dir.str(), "anne@example.com") == 0);
    CHECK(findings_of(dir.str()).empty());

    // The same export imported again: her balance was imported (it lives on under the
    // pseudonym), so it is not imported a second time under her address.
    const auto again = run_rewardd({"import", "balances", std::string(REWARDD_FIXTURES_DIR) +
                                    "/import/woo-points-rewards.csv", "--format", "csv", "--source",
                                    "woo-points-rewards", "--data", dir.str()});
    REQUIRE_MESSAGE(again.exit_code == 0, again.err);
    CHECK(again.out.find("imported 0 balances") != std::string::npos);
    CHECK(events_naming(dir.str(), "anne@example.com") == 0);
    CHECK(count(dir.str(), "SELECT COUNT(*) FROM ledger WHERE customer = 'anne@example.com'") == 1);  // the first, erased
    CHECK(count(dir.str(), "SELECT SUM(available_delta) FROM ledger_pseudonymous WHERE customer LIKE "
                               "'erased-%'") == 400);
}
