// Replay and explain benchmark: a generated history of order events (refunds, cancellations,
// completions, several currencies; tests/core/history_generator.hpp) is stored in a fresh
// database, then the ledger is rebuilt from it by the daemon's own LedgerApplier with the
// daemon's settings (durability full, batches of apply_batch_events_max) under a real program's
// rules (tests/core/mixed_history.hpp: tiers, weekend campaigns, a cashback push, expiry, two
// versions). Then `rewardd explain` (the real binary, process start included) of the customer
// with the most entries.
// How many customers share the orders matters: each order's walk reads its customer's whole
// ledger, so fewer customers means longer ledgers. The default is one customer per 20 events
// (about 7 orders each); --customers 1 builds one very long ledger for explain.
// --kept-entries sets how many ledger entries the applier keeps between batches (0: none),
// --kept-events how many parsed stored events (0: none).
// Usage: replay_bench [--events N] [--customers C] [--batch B] [--keep DIR] [--kept-entries E] [--kept-events V]
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "adapters/neutral/event_json.hpp"
#include "core/history_generator.hpp"
#include "core/mixed_history.hpp"
#include "ingest/ledger_applier.hpp"
#include "store/database.hpp"
#include "store/rule_repository.hpp"
#include "store/sqlite_store.hpp"
#include "support/daemon_process.hpp"
#include "support/stored_history.hpp"

using namespace rewardd;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// This process's CPU time (user and system): on a machine shared with other work it moves less
// than the wall time does.
double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t events = 1000000, batch = 512, customers = 0;
    std::size_t kept = LedgerApplier::k_kept_entries_default;
    std::size_t kept_events = LedgerApplier::k_kept_events_default;
    std::string keep;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        if (key == "--events") events = std::stoul(argv[i + 1]);
        else if (key == "--batch") batch = std::stoul(argv[i + 1]);
        else if (key == "--customers") customers = std::stoul(argv[i + 1]);
        else if (key == "--keep") keep = argv[i + 1];
        else if (key == "--kept-entries") kept = std::stoul(argv[i + 1]);
        else if (key == "--kept-events") kept_events = std::stoul(argv[i + 1]);
    }
    spdlog::set_level(spdlog::level::err);  // each kept conflict is a warning; the summary counts them
    test::TempDir tmp;
    const std::string data = keep.empty() ? tmp.str() : keep;
    auto start = Clock::now();
    if (customers == 0) customers = std::max<std::size_t>(1, events / 20);
    auto log = test::generate_history(events, 42, static_cast<int>(customers));
    for (auto& g : log) g.event.shop_id = "s1";
    std::printf("generated %zu events for %zu customers in %.1f s\n", log.size(), customers, seconds_since(start));
    auto db = open_database({database_path(data), Durability::full});
    if (!db) {
        std::cerr << db.error().message << "\n";
        return 1;
    }
    start = Clock::now();
    test::store_events(**db, log);
    std::printf("stored them in %.1f s\n", seconds_since(start));
    const Timestamp now = log.back().received_at + 60 * k_seconds_per_day;
    log.clear();
    log.shrink_to_fit();

    // The rules are recorded as the daemon records them, so `rewardd reconcile --data DIR` on a
    // kept database replays under the same versions.
    const RuleBook rules = test::mixed_rules();
    for (const auto& version : rules.versions()) {
        auto r = RuleRepository(*db).add(version, version.effective_from, now, "replay_bench");
        if (!r || *r != version.version) {
            std::cerr << "recording rules version " << version.version << ": "
                      << (r ? "numbered " + std::to_string(*r) : r.error().message) << "\n";
            return 1;
        }
    }
    SqliteStore store(*db);
    LedgerApplier applier(store, std::make_shared<RewardEngine>(rules));
    applier.set_kept_entries_max(kept);
    applier.set_kept_events_max(kept_events);
    start = Clock::now();
    const double cpu_start = cpu_seconds();
    auto applied = applier.apply_all(batch, now);
    const double replay_s = seconds_since(start);
    const double replay_cpu_s = cpu_seconds() - cpu_start;
    if (!applied) {
        std::cerr << applied.error().message << "\n";
        return 1;
    }
    std::printf("replay: %zu events -> %zu ledger entries in %.2f s (%.0f events/s; CPU %.2f s), batch %zu, "
                "%zu kept conflicts\n",
                applied->events, applied->entries_written, replay_s, static_cast<double>(applied->events) / replay_s,
                replay_cpu_s, batch, applied->conflicts);
    std::fflush(stdout);  // explain below forks: an unflushed buffer would be printed by each child too

    const std::string busiest = (*db)->execAndGet(
        "SELECT customer FROM ledger GROUP BY customer ORDER BY COUNT(*) DESC LIMIT 1").getString();
    SQLite::Statement count(**db, "SELECT COUNT(*) FROM ledger WHERE customer = ?");
    count.bind(1, busiest);
    count.executeStep();
    const auto entries = count.getColumn(0).getInt64();
    db->reset();
    for (const bool json : {false, true}) {
        std::vector<std::string> args{"explain", busiest, "--data", data};
        if (json) args.push_back("--json");
        test::run_rewardd(args);  // warm the page cache as a second call would find it
        start = Clock::now();
        const auto r = test::run_rewardd(args);
        std::printf("explain%s of %s (%lld entries): %.1f ms, exit %d, %zu bytes out\n", json ? " --json" : "",
                    busiest.c_str(), static_cast<long long>(entries), seconds_since(start) * 1000, r.exit_code,
                    r.out.size());
        std::fflush(stdout);
    }
    return 0;
}
