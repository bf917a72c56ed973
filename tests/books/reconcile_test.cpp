// reconcile: a clean history agrees; each planted discrepancy (a ledger row edited, removed or
// added, a coupon deleted in the shop or moved to its trash, a coupon made there by hand with a
// rewardd-like code, a lost delivery, a used code) is found; --fix repairs the safe ones; a GDPR
// erasure leaves it clean.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "books/reconcile.hpp"
#include "books/woocommerce_coupon_lister.hpp"
#include "books/books_history.hpp"
#include "fakes/fake_woocommerce.hpp"
#include "rewards/grant_code.hpp"

using namespace rewardd;
using namespace rewardd::test;
using namespace rewardd::test::books;

namespace {

rewardd::books::ReconcileRequest request_for_woocommerce() {
    auto lister = std::make_shared<rewardd::books::WooCommerceCouponLister>(
        WooCommerceRest(std::make_shared<CurlHttpClient>(), 5000,
                        [] { return static_cast<Timestamp>(std::time(nullptr)); }),
        [](std::int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }, 10);
    rewardd::books::ReconcileRequest r;
    r.listers["woocommerce"] = [lister](const Shop& shop) { return lister->list(shop); };
    r.finders["woocommerce"] = [lister](const Shop& shop, const std::string& ref) { return lister->find(shop, ref); };
    return r;
}

std::multiset<std::string> kinds(const std::vector<rewardd::books::Finding>& findings) {
    std::multiset<std::string> out;
    for (const auto& f : findings) out.insert(rewardd::books::finding_kind_id(f.kind));
    return out;
}

const rewardd::books::Finding* find_kind(const std::vector<rewardd::books::Finding>& findings, const char* kind) {
    for (const auto& f : findings) {
        if (std::string(rewardd::books::finding_kind_id(f.kind)) == kind) return &f;
    }
    return nullptr;
}

std::string lower_code(std::string code) {
    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::tolower(c); });
    return code;
}

}  // namespace

// The 100,000 events: about 30,000 orders of 10,000 customers (three orders each), applied
// live first and then replayed by reconcile. Replay time grows with each customer's number of
// orders (the applier reads the customer's whole history for each order, docs/reconcile.md).
TEST_CASE("a clean history of 100,000 events with delivered redemptions agrees everywhere") {
    FakeWooCommerce fake(k_key, k_secret);
    History h;
    make_history(h, 100000, fake.url(), {}, 10000);
    redeem_some(h, 25);
    CHECK(deliver_outbox(h) == 25);
    const auto report = rewardd::books::reconcile(h.db, request_for_woocommerce());
    REQUIRE(report);
    CHECK(kinds(report->findings).empty());
    CHECK(report->entries_compared > 100000);
    CHECK(report->grants_checked == 25);
    CHECK(report->platform_rewards_listed == 25);  // three pages of 10: paging followed to the end
    CHECK(fake.count("GET") == 3);
}

TEST_CASE("each planted discrepancy is found, and --fix repairs only the safe ones") {
    FakeWooCommerce fake(k_key, k_secret);
    History h;
    make_history(h, 2000, fake.url());
    redeem_some(h, 4);
    REQUIRE(deliver_outbox(h) == 4);
    auto& db = *h.db;
    // The ledger: one row edited, one removed, one added (the triggers stand in the way of anyone
    // doing this by accident, so the test drops them first).
    db.exec("DROP TRIGGER ledger_no_update; DROP TRIGGER ledger_no_delete");
    db.exec("UPDATE ledger SET available_delta = available_delta + 7 WHERE seq = (SELECT MIN(seq) FROM ledger "
            "WHERE kind = 'release')");
    const std::string removed = db.execAndGet("SELECT key FROM ledger WHERE kind = 'earn_pending' LIMIT 1 OFFSET 5")
                                    .getString();
    db.exec("DELETE FROM ledger WHERE key = '" + removed + "'");
    db.exec("INSERT INTO ledger (key, customer, shop_id, order_id, kind, pending_delta, available_delta, "
            "rule_version, line_id, base_minor, currency, rate, rounding, event_id, effective_at, refers_to, reason, "
            "content_hash, recorded_at) VALUES ('wc1:adjust:ghost', 'c1@example.com', 'wc1', '', 'adjust', 0, 900, "
            "0, '', 0, '', '', 'floor', 'ghost', 1767225600, '', 'typed in by hand', '', 1767225600)");
    // The shop and the outbox: a coupon deleted, one made by hand, a lost delivery, a used code.
    REQUIRE(fake.delete_coupon(grant_coupon_code("RWD", "wc1:r0")));
    fake.add_coupon("RWD-0000-AAAA-1111", "");
    db.exec("DELETE FROM outbox WHERE grant_id = 'wc1:redeem:r1'");
    REQUIRE(fake.use_coupon(grant_coupon_code("RWD", "wc1:r2"), "someone@example.com"));

    const auto report = rewardd::books::reconcile(h.db, request_for_woocommerce());
    REQUIRE(report);
    CHECK(kinds(report->findings) ==
          std::multiset<std::string>{"entry_changed", "entry_missing", "entry_extra", "reward_missing",
                                     "reward_unknown", "reward_not_queued", "reward_used_not_redeemed"});
    const auto* missing = find_kind(report->findings, "entry_missing");
    REQUIRE(missing);
    CHECK(missing->subject == removed);
    const auto* changed = find_kind(report->findings, "entry_changed");
    REQUIRE(changed);
    CHECK(changed->detail.find("available_delta") != std::string::npos);
    CHECK(changed->items[0]["recorded"]["available_delta"].get<std::int64_t>() ==
          changed->items[0]["replayed"]["available_delta"].get<std::int64_t>() + 7);
    CHECK(find_kind(report->findings, "reward_unknown")->subject == "RWD-0000-AAAA-1111");
    CHECK(find_kind(report->findings, "reward_missing")->subject == "wc1:redeem:r0");
    CHECK(find_kind(report->findings, "reward_not_queued")->subject == "wc1:redeem:r1");
    CHECK(find_kind(report->findings, "reward_used_not_redeemed")->subject == "wc1:redeem:r2");

    const auto repairs = rewardd::books::apply_repairs(h.db, report->findings, h.end + 60);
    CHECK(repairs.size() == 3);
    CHECK(deliver_outbox(h) == 2);  // the re-queued and the lost delivery reach the shop again
    CHECK(fake.coupons().size() == 5);
    CHECK(db.execAndGet("SELECT COUNT(*) FROM ledger WHERE key = 'wc1:redeem:r2:commit' AND kind = 'redeem_commit' "
                        "AND available_delta = 0").getInt() == 1);
    const auto again = rewardd::books::reconcile(h.db, request_for_woocommerce());
    REQUIRE(again);
    CHECK(kinds(again->findings) ==
          std::multiset<std::string>{"entry_changed", "entry_missing", "entry_extra", "reward_unknown"});
}

TEST_CASE("a redemption code re-queued by --fix keeps the minimum order its rules version asked for") {
    FakeWooCommerce fake(k_key, k_secret);
    History h;
    Rules rules;
    rules.redeem_cart_share_max_bp = 4000;  // at most 40 % of a cart payable with points
    make_history(h, 1000, fake.url(), rules);
    redeem_some(h, 2);  // 500 points = 5.00 EUR each: valid on orders from 12.50
    REQUIRE(deliver_outbox(h) == 2);
    for (const auto& c : fake.coupons()) CHECK(c.minimum_amount == "12.50");
    // Lost on both sides (a restored backup, say): no outbox row and no coupon in the shop.
    REQUIRE(fake.delete_coupon(grant_coupon_code("RWD", "wc1:r1")));
    h.db->exec("DELETE FROM outbox WHERE grant_id = 'wc1:redeem:r1'");

    const auto report = rewardd::books::reconcile(h.db, request_for_woocommerce());
    REQUIRE(report);
    REQUIRE(kinds(report->findings) == std::multiset<std::string>{"reward_not_queued"});
    CHECK(rewardd::books::apply_repairs(h.db, report->findings, h.end + 60).size() == 1);
    REQUIRE(deliver_outbox(h) == 1);
    const auto coupons = fake.coupons();
    const auto again = std::find_if(coupons.begin(), coupons.end(), [](const FakeCoupon& c) {
        return c.code == lower_code(grant_coupon_code("RWD", "wc1:r1"));
    });
    REQUIRE(again != coupons.end());
    CHECK(again->amount == "5.00");
    CHECK(again->minimum_amount == "12.50");
}

TEST_CASE("a used code deleted from the shop is reported, and --fix does not hand the discount out again") {
    FakeWooCommerce fake(k_key, k_secret);
    History h;
    make_history(h, 2000, fake.url());
    redeem_some(h, 2);
    REQUIRE(deliver_outbox(h) == 2);
    const std::string used = grant_coupon_code("RWD", "wc1:r0");
    REQUIRE(fake.use_coupon(used, "someone@example.com"));
    const auto first = rewardd::books::reconcile(h.db, request_for_woocommerce());
    REQUIRE(first);
    rewardd::books::apply_repairs(h.db, first->findings, h.end + 60);  // the use is committed
    REQUIRE(h.db->execAndGet("SELECT COUNT(*) FROM ledger WHERE key = 'wc1:redeem:r0:commit'").getInt() == 1);
    REQUIRE(fake.delete_coupon(used));  // the owner tidies used coupons away

    const auto report = rewardd::books::reconcile(h.db, request_for_woocommerce());
    REQUIRE(report);
    const auto* missing = find_kind(report->findings, "reward_missing");
    REQUIRE(missing);
    CHECK(missing->subject == "wc1:redeem:r0");
    CHECK(missing->detail.find("an order used it") != std::string::npos);
    CHECK_FALSE(missing->repair.has_value());
    CHECK(rewardd::books::apply_repairs(h.db, report->findings, h.end + 120).empty());
    CHECK(deliver_outbox(h) == 0);
    CHECK(fake.coupons().size() == 1);  // only r1: the used code is not made again
}

TEST_CASE("a coupon moved to the trash is reported whether or not the listing shows the trash, and --fix leaves it") {
    FakeWooCommerce fake(k_key, k_secret);
    bool listed_with_trash = false;
    SUBCASE("older WooCommerce: the listing leaves the trash out, the coupon is read by id") {}
    SUBCASE("newer WooCommerce: the listing shows every status") { listed_with_trash = true; }
    fake.list_trash_by_default(listed_with_trash);
    History h;
    make_history(h, 800, fake.url());
    redeem_some(h, 3);
    REQUIRE(deliver_outbox(h) == 3);
    REQUIRE(fake.trash_coupon(grant_coupon_code("RWD", "wc1:r0")));  // unused: the customer lost it
    REQUIRE(fake.use_coupon(grant_coupon_code("RWD", "wc1:r1"), "someone@example.com"));
    REQUIRE(fake.trash_coupon(grant_coupon_code("RWD", "wc1:r1")));  // used first: it did its job
    const int gets_before = fake.count("GET");

    const auto report = rewardd::books::reconcile(h.db, request_for_woocommerce());
    REQUIRE(report);
    CHECK(kinds(report->findings) == std::multiset<std::string>{"reward_trashed", "reward_used_not_redeemed"});
    const auto* trashed = find_kind(report->findings, "reward_trashed");
    REQUIRE(trashed);
    CHECK(trashed->subject == "wc1:redeem:r0");
    CHECK_FALSE(trashed->repair.has_value());
    CHECK(trashed->items[0]["platform"]["trashed"] == true);
    CHECK(find_kind(report->findings, "reward_used_not_redeemed")->subject == "wc1:redeem:r1");
    // One listing page; the two coupons it left out are read by id.
    CHECK(fake.count("GET") - gets_before == (listed_with_trash ? 1 : 3));

    const auto repairs = rewardd::books::apply_repairs(h.db, report->findings, h.end + 60);
    CHECK(repairs.size() == 1);  // the used code marked redeemed; the trashed one is not re-created
    CHECK(deliver_outbox(h) == 0);
    CHECK(fake.coupons().size() == 3);
    const auto again = rewardd::books::reconcile(h.db, request_for_woocommerce());
    REQUIRE(again);
    CHECK(kinds(again->findings) == std::multiset<std::string>{"reward_trashed"});

    REQUIRE(fake.delete_coupon(grant_coupon_code("RWD", "wc1:r0")));  // emptied from the trash
    const auto gone = rewardd::books::reconcile(h.db, request_for_woocommerce());
    REQUIRE(gone);
    CHECK(kinds(gone->findings) == std::multiset<std::string>{"reward_missing"});
}

TEST_CASE("listing waits out a 429 and a differing coupon is reported with what differs") {
    FakeWooCommerce fake(k_key, k_secret);
    History h;
    make_history(h, 500, fake.url());
    redeem_some(h, 1);
    REQUIRE(deliver_outbox(h) == 1);
    h.db->exec("UPDATE outbox SET grant_body = json_set(grant_body, '$.amount_minor', 999)");
    fake.rate_limit_next_lists(1, 0);
    const auto report = rewardd::books::reconcile(h.db, request_for_woocommerce());
    REQUIRE(report);
    REQUIRE(kinds(report->findings) == std::multiset<std::string>{"reward_differs"});
    CHECK(report->findings[0].detail.find("amount 5.00 instead of 9.99") != std::string::npos);
    CHECK(fake.count("GET") == 2);
}

TEST_CASE("a code's minimum order is compared: the grant's minimum agrees, one edited in the shop differs") {
    FakeWooCommerce fake(k_key, k_secret);
    History h;
    make_history(h, 500, fake.url());
    redeem_some(h, 1);
    REQUIRE(deliver_outbox(h) == 1);
    const std::string code = h.db->execAndGet("SELECT json_extract(grant_body, '$.code') FROM outbox").getString();
    // As delivered under a cart share of 50 %: the coupon carries twice its value as its minimum.
    h.db->exec("UPDATE outbox SET grant_body = json_set(grant_body, '$.minimum_subtotal_minor', 1000)");
    REQUIRE(fake.set_coupon_minimum(code, "10.00"));
    const auto agrees = rewardd::books::reconcile(h.db, request_for_woocommerce());
    REQUIRE(agrees);
    CHECK(kinds(agrees->findings).empty());

    REQUIRE(fake.set_coupon_minimum(code, "0.00"));  // the merchant cleared it: any order may use the code
    const auto cleared = rewardd::books::reconcile(h.db, request_for_woocommerce());
    REQUIRE(cleared);
    REQUIRE(kinds(cleared->findings) == std::multiset<std::string>{"reward_differs"});
    CHECK(cleared->findings[0].detail.find("minimum order 0.00 instead of 10.00") != std::string::npos);
}

TEST_CASE("the command exits 1 with findings as JSON, 0 once everything agrees, and a GDPR erasure keeps it clean") {
    FakeWooCommerce fake(k_key, k_secret);
    History h;
    make_history(h, 1500, fake.url());
    redeem_some(h, 2);
    REQUIRE(deliver_outbox(h) == 2);
    const std::string someone = h.db->execAndGet("SELECT customer FROM ledger WHERE kind = 'reserve' LIMIT 1").getString();
    h.db.reset();
    auto clean = run_rewardd({"reconcile", "--data", h.data()});
    CHECK_MESSAGE(clean.exit_code == 0, clean.out, clean.err);
    CHECK(clean.out.find("everything agrees") != std::string::npos);

    const auto erased = run_rewardd({"gdpr", "erase", someone, "--data", h.data()});
    REQUIRE_MESSAGE(erased.exit_code == 0, erased.err);
    auto after = run_rewardd({"reconcile", "--json", "--data", h.data()});
    CHECK_MESSAGE(after.exit_code == 0, after.out, after.err);

    fake.delete_coupon(grant_coupon_code("RWD", "wc1:r1"));
    auto found = run_rewardd({"reconcile", "--json", "--shop", "wc1", "--data", h.data()});
    CHECK(found.exit_code == 1);
    const auto doc = nlohmann::json::parse(found.out);
    CHECK(doc["agrees"] == false);
    REQUIRE(doc["findings"].size() == 1);
    CHECK(doc["findings"][0]["kind"] == "reward_missing");
    CHECK(doc["findings"][0]["fixable"] == true);
    auto fixed = run_rewardd({"reconcile", "--fix", "--data", h.data()});
    CHECK(fixed.exit_code == 1);
    CHECK(fixed.out.find("fixed: re-queued delivery of " + grant_coupon_code("RWD", "wc1:r1")) != std::string::npos);
    CHECK(run_rewardd({"reconcile", "--shop", "other", "--data", h.data()}).exit_code == 0);
}

// The replay's copy of the events and its ledger go to a scratch file in the temporary directory
// (a replay of a big shop would not fit in memory), which is gone once the replay is done; a
// temporary directory that cannot be written is named in the error.
TEST_CASE("reconcile replays in a scratch file in the temporary directory and removes it after") {
    TempDir scratch;
    const char* before = std::getenv("TMPDIR");
    const std::string saved = before ? before : "";
    struct Restore {
        std::string value;
        bool had;
        ~Restore() { had ? setenv("TMPDIR", value.c_str(), 1) : unsetenv("TMPDIR"); }
    } restore{saved, before != nullptr};
    FakeWooCommerce fake(k_key, k_secret);
    History h;
    make_history(h, 2000, fake.url(), {}, 200);

    setenv("TMPDIR", scratch.str().c_str(), 1);
    const auto report = rewardd::books::reconcile(h.db, request_for_woocommerce());
    REQUIRE(report);
    CHECK(kinds(report->findings).empty());
    CHECK(report->entries_compared > 2000);
    CHECK(std::filesystem::is_empty(scratch.path()));

    const std::string missing = scratch.str() + "/not-there";
    setenv("TMPDIR", missing.c_str(), 1);
    const auto refused = rewardd::books::reconcile(h.db, request_for_woocommerce());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("not-there") != std::string::npos);
}
