// reconcile under tiers with late deliveries: the daemon applies an order before an earlier order
// of the same customer arrives, earns at the tier it knew then and settles the difference at the
// order's release (":settle"). A replay that applied everything at once would earn at the final
// tier directly and report a correct ledger as changed; replaying the daemon's own batches at
// their times (apply_log) must find nothing.
#include <random>

#include "books/program_history.hpp"
#include "books/reconcile.hpp"
#include "books/books_history.hpp"
#include "core/rules_harness.hpp"

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::books;

namespace {

Rules bronze_silver() {
    Rules r;
    r.tiers = {{"bronze", 0, 100}, {"silver", 1000000, 150}};  // silver from 1000.00 spend, x1.5
    return r;
}

Event in_shop(Event e) {
    e.shop_id = k_shop;
    return e;
}

std::size_t settle_entries(SQLite::Database& db) {
    return static_cast<std::size_t>(db.execAndGet("SELECT COUNT(*) FROM ledger WHERE key LIKE '%:settle'").getInt64());
}

std::vector<rewardd::books::Finding> findings_of(History& h) {
    const auto report = rewardd::books::reconcile(h.db, {});
    REQUIRE_MESSAGE(report, report.error().message);
    for (const auto& f : report->findings) {
        const std::string finding = std::string(rewardd::books::finding_kind_id(f.kind)) + " " + f.subject + ": " + f.detail;
        MESSAGE(finding);
    }
    return report->findings;
}

// Stores `log` and applies it at once as rewardd applied batches before schema v9 (each batch's
// orders by order id), then marks those batches as the v9 migration would have found them.
void apply_as_before_v9(History& h, const std::vector<GeneratedEvent>& log) {
    apply_log(h, log, {}, Arrival::stored_then_applied, BatchOrder::order_id);
    h.db->exec("UPDATE apply_order_change SET by_order_id_through = (SELECT seq FROM apply_cursor WHERE id = 1)");
}

std::string earn_rate(SQLite::Database& db, const std::string& order_id) {
    SQLite::Statement q(db, "SELECT rate FROM ledger WHERE order_id = ? AND kind = 'earn_pending' ORDER BY seq");
    q.bind(1, order_id);
    REQUIRE(q.executeStep());
    return q.getColumn(0).getString();
}

// A customer's order 999 lifts her to silver; her order 1000, paid a day later, comes in the same
// batch ("1000" sorts before "999" as text).
std::vector<GeneratedEvent> two_orders_in_one_batch() {
    const Order first = rules_order("999", {line("l1", 100000)}, "kari@example.com", "EUR");
    const Order next = rules_order("1000", {line("l1", 20000)}, "kari@example.com", "EUR");
    return {{in_shop(paid("999-paid", k_t0, first)), k_t0},
            {in_shop(paid("1000-paid", k_t0 + k_day, next)), k_t0 + k_day}};
}

}  // namespace

TEST_CASE("a customer's orders in one batch meet the ledger in the order they arrived") {
    History h;
    open_history(h, woocommerce_shop(), bronze_silver());
    apply_log(h, two_orders_in_one_batch());  // stored, then applied in one batch
    REQUIRE(h.db->execAndGet("SELECT COUNT(*) FROM apply_log").getInt() == 1);
    CHECK(earn_rate(*h.db, "1000").find("tier silver") != std::string::npos);
    CHECK(settle_entries(*h.db) == 0);
    // 200.00 EUR at silver's x1.5, all of it released: none lost to a tier learnt too late.
    CHECK(h.db->execAndGet("SELECT SUM(available_delta) FROM ledger WHERE order_id = '1000'").getInt() == 300);
    CHECK(findings_of(h).empty());
}

TEST_CASE("batches an older rewardd applied by order id reconcile as it applied them") {
    History h;
    open_history(h, woocommerce_shop(), bronze_silver());
    apply_as_before_v9(h, two_orders_in_one_batch());
    // The case under test happened: order 1000 met the ledger first and earned at bronze.
    REQUIRE(earn_rate(*h.db, "1000").find("tier") == std::string::npos);
    CHECK(findings_of(h).empty());
    // Replayed in arrival order instead, 1000 earns at silver: the recorded ledger would show as changed.
    h.db->exec("UPDATE apply_order_change SET by_order_id_through = 0");
    CHECK_FALSE(findings_of(h).empty());
}

TEST_CASE("a late earlier order settled at release reconciles clean, as the daemon applied it") {
    const Order a = rules_order("a", {line("l1", 100000)}, "kari@example.com", "EUR");  // 1000.00: silver next
    const Order b = rules_order("b", {line("l1", 60000), line("l2", 40000)}, "kari@example.com", "EUR");
    const Timestamp b_paid = k_t0 + k_day;
    const Timestamp b_release = b_paid + 14 * k_day;
    Event refund = rules_event(EventType::order_refunded, "b-r1", b_paid + 3 * k_day, b);
    refund.refund = Refund{"b-r1", 50000, {}};
    Event a_refund = full_refund("a-r1", b_paid - k_day / 2, a);
    struct Row {
        const char* what;
        std::vector<GeneratedEvent> log;  // as received, in this order
    };
    const std::vector<Row> rows = {
        {"a, paid first, arrives after b earned at bronze",
         {{in_shop(paid("b-paid", b_paid, b)), b_paid}, {in_shop(paid("a-paid", k_t0, a)), b_paid + 2 * k_day}}},
        {"b half refunded before a arrives",
         {{in_shop(paid("b-paid", b_paid, b)), b_paid},
          {in_shop(refund), b_paid + 3 * k_day},
          {in_shop(paid("a-paid", k_t0, a)), b_paid + 4 * k_day}}},
        {"a's full refund before b was paid arrives after b earned at silver",
         {{in_shop(paid("a-paid", k_t0, a)), k_t0},
          {in_shop(paid("b-paid", b_paid, b)), b_paid},
          {in_shop(a_refund), b_paid + k_day}}},
    };
    for (const auto& row : rows) {
        CAPTURE(row.what);
        History h;
        open_history(h, woocommerce_shop(), bronze_silver());
        apply_log(h, row.log, {}, Arrival::as_received);
        REQUIRE(h.end > b_release);
        REQUIRE(settle_entries(*h.db) == 2);  // the case under test happened: b's two lines settled
        CHECK(findings_of(h).empty());
        // Without the log every event is replayed at once: b earns at the final tier directly and
        // the correct ledger's first earning and settlement show as findings.
        h.db->exec("DELETE FROM apply_log");
        CHECK_FALSE(findings_of(h).empty());
    }
}

TEST_CASE("a program history delivered late and out of order under tiers reconciles clean") {
    const auto plan = plan_program_orders(k_shop, 400, 11);
    auto log = program_events(k_shop, plan);
    std::mt19937_64 rng(5);
    for (auto& g : log) {  // up to four days late, so earlier orders often arrive after later ones
        g.received_at = g.event.occurred_at + std::uniform_int_distribution<Timestamp>(1, 4 * k_day)(rng);
    }
    std::stable_sort(log.begin(), log.end(), [](const auto& x, const auto& y) { return x.received_at < y.received_at; });
    Rules rules = program_rules();
    rules.cashback.rate_bp = 0;  // cashback would need the outbox's grants; tiers are the point here
    for (auto& c : rules.campaigns) c.cashback_bp = 0;
    History h;
    open_history(h, woocommerce_shop(), rules);
    apply_log(h, log, {}, Arrival::as_received);
    REQUIRE(settle_entries(*h.db) > 0);
    CHECK(findings_of(h).empty());
}

TEST_CASE("a database without an apply log (from before it existed) still reconciles its in-order history") {
    History h;
    make_history(h, 3000);
    h.db->exec("DELETE FROM apply_log");
    CHECK(findings_of(h).empty());
}
