// `rewardd adjust` and `rewardd import` apply the events the daemon has stored but not applied
// yet (the writer applies in slices under load). They must apply them as serve does: with its
// hooks, so that cashback falling due in that apply is queued for delivery, not left in the ledger.
#include <fstream>

#include "books/books_history.hpp"
#include "support/stored_history.hpp"

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::books;

namespace {

std::int64_t count(const History& h, const std::string& sql) { return h.db->execAndGet(sql).getInt64(); }

}  // namespace

TEST_CASE("adjust and import apply the daemon's waiting orders with its hooks: their cashback is queued") {
    for (const char* verb : {"adjust", "import"}) {
        CAPTURE(verb);
        History h;
        Rules rules;
        rules.cashback.rate_bp = 500;  // 5 %
        open_history(h, woocommerce_shop(), rules);
        auto log = generate_history(300, 7, 50);
        for (auto& g : log) g.event.shop_id = k_shop;
        store_events(*h.db, log);  // stored by the daemon, not applied yet
        REQUIRE(count(h, "SELECT COUNT(*) FROM ledger") == 0);

        const auto r = std::string(verb) == "adjust"
                           ? run_rewardd({"adjust", "ola@example.com", "--points", "10", "--reason", "gift", "--data",
                                          h.data()})
                           : [&] {
                                 const std::string file = h.data() + "/smile.csv";
                                 std::ofstream(file) << "email,points\nola@example.com,10\n";
                                 return run_rewardd({"import", "balances", file, "--format", "csv", "--source", "smile",
                                                     "--data", h.data()});
                             }();
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        const auto due = count(h, "SELECT COUNT(*) FROM ledger WHERE kind = 'cashback_due'");
        CHECK(due > 0);  // the orders' pending periods are long over: their cashback fell due
        CHECK(count(h, "SELECT COUNT(*) FROM outbox WHERE grant_id IN "
                       "(SELECT key FROM ledger WHERE kind = 'cashback_due')") == due);
    }
}
