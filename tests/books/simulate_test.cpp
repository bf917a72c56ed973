// simulate: the same rules change nothing; a doubled rate issues what an independent rebuild under
// those rules issues; the real ledger is not touched.
#include <nlohmann/json.hpp>

#include <fstream>

#include "books/books_history.hpp"
#include "books/simulation.hpp"
#include "config/rules_file.hpp"

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::books;

TEST_CASE("simulating the recorded rules changes nothing and a doubled rate matches an independent rebuild") {
    History h;
    make_history(h, 3000);
    const auto recorded = RuleRepository(h.db).load();
    REQUIRE(recorded);
    const auto rows = h.db->execAndGet("SELECT COUNT(*) FROM ledger").getInt64();

    const auto same = rewardd::books::simulate(*h.db, *recorded, {Rules{}, 0});
    REQUIRE(same);
    CHECK(same->movers.empty());
    CHECK(same->current.points_issued == same->proposed.points_issued);
    CHECK(same->current.points_issued ==
          h.db->execAndGet("SELECT SUM(pending_delta) FROM ledger WHERE kind = 'earn_pending'").getInt64());

    Rules doubled;
    doubled.earn_rate = EarnRate{2, 1};
    for (const auto& [currency, rate] : recorded->latest().currency_rates) doubled.currency_rates[currency] = {rate.points * 2, rate.per_units};
    const auto twice = rewardd::books::simulate(*h.db, *recorded, {doubled, 0});
    REQUIRE(twice);
    // Independently: the engine alone, every order's events at once (tests/core/replay_test.cpp).
    auto log = generate_history(3000, 42);
    RewardEngine engine{RuleBook{{doubled}}};
    std::map<std::string, std::vector<Event>> orders;
    for (const auto& g : log) orders[g.event.order->id].push_back(g.event);
    std::int64_t issued = 0, liability = 0;
    for (const auto& [_, events] : orders) {
        for (const auto& e : engine.apply_order(events, {}, h.end).new_entries) {
            if (e.kind == EntryKind::earn_pending) issued += e.pending_delta;
            liability += e.pending_delta + e.available_delta;
        }
    }
    CHECK(twice->proposed.points_issued == issued);
    CHECK(twice->proposed.liability_points == liability);
    CHECK(twice->proposed.points_issued > 2 * twice->current.points_issued - 1);
    REQUIRE(twice->movers.size() == 10);
    CHECK(std::llabs(twice->movers[0].proposed - twice->movers[0].current) >=
          std::llabs(twice->movers[9].proposed - twice->movers[9].current));
    CHECK(h.db->execAndGet("SELECT COUNT(*) FROM ledger").getInt64() == rows);  // nothing written

    const std::string file = h.data() + "/proposed.toml";
    std::ofstream(file) << rules_file_text(doubled);
    h.db.reset();
    const auto cli = run_rewardd({"simulate", "--rules", file, "--json", "--data", h.data()});
    REQUIRE_MESSAGE(cli.exit_code == 0, cli.err);
    CHECK(nlohmann::json::parse(cli.out)["proposed"]["points_issued"] == issued);
}

TEST_CASE("tier sizes count customers without a tier, and those who fell back out of one, as none") {
    auto entry = [](const std::string& key, const std::string& customer, EntryKind kind, Timestamp at,
                    const std::string& reason) {
        LedgerEntry e;
        e.key = key;
        e.customer = customer;
        e.kind = kind;
        e.effective_at = at;
        e.reason = reason;
        return e;
    };
    std::map<std::string, LedgerEntry> ledger;
    for (const auto& e : {entry("a:earn", "a@example.com", EntryKind::earn_pending, 10, ""),
                          entry("tier:a:10", "a@example.com", EntryKind::tier_change, 10, "none -> silver"),
                          entry("tier:a:50", "a@example.com", EntryKind::tier_change, 50, "silver -> none"),
                          entry("b:earn", "b@example.com", EntryKind::earn_pending, 20, ""),
                          entry("c:earn", "c@example.com", EntryKind::earn_pending, 20, ""),
                          entry("tier:c:20", "c@example.com", EntryKind::tier_change, 20, "none -> gold")}) {
        ledger.emplace(e.key, e);
    }
    using Sizes = std::map<std::string, std::int64_t>;
    CHECK(rewardd::books::figures_of(ledger, 0, 40).tier_sizes == Sizes{{"none", 1}, {"silver", 1}, {"gold", 1}});
    CHECK(rewardd::books::figures_of(ledger, 0, 60).tier_sizes == Sizes{{"none", 2}, {"gold", 1}});
}
