// reconcile against Shopify: discount codes listed page by page (cursor paging, the cost-based
// bucket respected), a deleted code and a code made by hand found, nothing on a clean shop; and a
// whole Shopify history with due cashback issued as discount codes or as store credit and
// redemptions as codes: clean agrees, each planted discrepancy is found, --fix re-queues.
#include <doctest/doctest.h>

#include <algorithm>
#include <thread>

#include "adapters/shopify/admin_api.hpp"
#include "adapters/shopify/shopify_reward_deliverer.hpp"
#include "books/books_history.hpp"
#include "books/reconcile.hpp"
#include "books/reward_check.hpp"
#include "books/shopify_credit_lister.hpp"
#include "books/shopify_discount_lister.hpp"
#include "fakes/fake_shopify.hpp"
#include "rewards/cashback_grants.hpp"
#include "store/shopify_customers.hpp"

using namespace rewardd;
using namespace rewardd::test;
using rewardd::test::books::History;

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
void sleep_ms(std::int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

Shop shop_for(const FakeShopify& fake, const FakeShopify::Options& o) {
    return Shop{"s1", "shopify", "secret",
                {{"domain", "jsmith.myshopify.com"}, {"api_base", fake.base_url()}, {"client_id", o.client_id},
                 {"client_secret", o.client_secret}},
                0};
}

OutboxItem delivered_grant(std::shared_ptr<shopify::AdminApi> api, const Shop& shop, int n) {
    OutboxItem item;
    item.id = n;
    item.status = OutboxStatus::delivered;
    item.grant.grant_id = "s1:redeem:r" + std::to_string(n);
    item.grant.shop_id = "s1";
    item.grant.code = "RWD-" + std::to_string(1000 + n);
    item.grant.amount_minor = 500 + n;
    item.grant.currency = "EUR";
    item.grant.customer_email = "c" + std::to_string(n) + "@example.com";
    item.grant.customer_platform_id = std::to_string(7000 + n);
    shopify::ShopifyRewardDeliverer deliverer(api, [] { return Timestamp{1790000000}; });
    const auto outcome = deliverer.deliver(shop, item.grant);
    REQUIRE_MESSAGE(outcome.status == DeliveryStatus::delivered, outcome.detail);
    return item;
}

std::vector<std::string> kinds(const std::vector<rewardd::books::Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) out.push_back(std::string(rewardd::books::finding_kind_id(f.kind)) + " " + f.subject);
    return out;
}

}  // namespace

TEST_CASE("Shopify discount codes are listed page by page within the bucket and compared with the outbox") {
    FakeShopify::Options options;
    options.bucket_max = 40;  // one page of 10 costs 32: the lister must wait for the refill
    options.restore_per_s = 200;
    FakeShopify fake(options);
    const Shop shop = shop_for(fake, options);
    auto api = std::make_shared<shopify::AdminApi>(std::make_unique<CurlHttpClient>(), shopify::AdminOptions{},
                                                   now_ms, sleep_ms);
    rewardd::books::RewardFacts facts;
    facts.shops = {shop};
    for (int n = 0; n < 25; ++n) facts.outbox.push_back(delivered_grant(api, shop, n));
    const std::map<std::string, LedgerEntry> ledger;
    facts.ledger = &ledger;

    rewardd::books::ShopifyDiscountLister lister(api->graphql, sleep_ms, 10);
    auto listed = lister.list(shop);
    REQUIRE_MESSAGE(listed, listed.error().message);
    CHECK(listed->size() == 25);
    CHECK(fake.operations("codeDiscountNodes") == 3);
    CHECK(listed->front().amount == "5.00");
    CHECK(listed->front().customers == std::vector<std::string>{"gid://shopify/Customer/7000"});
    facts.platform.emplace("s1", std::move(listed));
    CHECK(kinds(rewardd::books::check_rewards(facts, {})).empty());

    REQUIRE(fake.delete_discount("RWD-1003"));
    fake.add_discount("CB-ABCD-0000-1111", "made by hand", "9.00");
    facts.platform.erase("s1");
    facts.platform.emplace("s1", lister.list(shop));
    CHECK(kinds(rewardd::books::check_rewards(facts, {})) ==
          std::vector<std::string>{"reward_missing s1:redeem:r3", "reward_unknown CB-ABCD-0000-1111"});
}

namespace {

constexpr int k_customers = 12;  // few customers, many orders each: their store credit takes pages

// A Shopify shop paying 5 % cashback (as `--cashback-as`), its customers' Shopify ids recorded as
// the webhooks would, the applier queuing due cashback as `serve` does, and three redemptions.
Shop make_shopify_history(History& h, const FakeShopify& fake, const FakeShopify::Options& o,
                          const std::string& cashback_as) {
    Shop shop = shop_for(fake, o);
    shop.settings["currency"] = "EUR";
    if (!cashback_as.empty()) shop.settings["cashback_as"] = cashback_as;
    Rules rules;
    rules.cashback.rate_bp = 500;
    const auto record_customers = [&](std::vector<GeneratedEvent>& log) {
        for (auto& g : log) {
            if (!g.event.order) continue;
            const int n = std::stoi(g.event.order->customer.email.substr(1)) % k_customers;
            g.event.order->customer.email = "c" + std::to_string(n) + "@example.com";
        }
        for (int n = 0; n < k_customers; ++n) {
            REQUIRE(ShopifyCustomers(*h.db).remember("s1", "c" + std::to_string(n) + "@example.com",
                                                     std::to_string(7000 + n), 0));
        }
    };
    // The hook needs the database, which make_shop_history opens: made on its first call.
    LedgerApplier::EntryHook hook;
    const auto issue_cashback = [&](const LedgerEntry& entry, Timestamp now) {
        if (!hook) hook = cashback_grant_hook(h.db, {"woocommerce", "shopify"});
        return hook(entry, now);
    };
    rewardd::test::books::make_shop_history(h, shop, 240, rules, record_customers, issue_cashback);
    rewardd::test::books::redeem_some(h, 3, "s1");
    return shop;
}

// Delivers every pending outbox item with the real Shopify deliverer, as the worker would.
int deliver_to_shopify(History& h, std::shared_ptr<shopify::AdminApi> api) {
    OutboxStore outbox(h.db);
    auto shop = ShopRegistry(h.db).find("s1");
    REQUIRE(shop);
    shopify::ShopifyRewardDeliverer deliverer(api, [] { return Timestamp{1790000000}; });
    auto due = outbox.due(std::numeric_limits<std::int64_t>::max(), 1000);
    REQUIRE(due);
    for (const auto& item : *due) {
        const auto outcome = deliverer.deliver(**shop, item.grant);
        REQUIRE_MESSAGE(outcome.status == DeliveryStatus::delivered, outcome.detail);
        REQUIRE(outbox.mark_delivered(item.id, outcome.detail, h.end));
    }
    return static_cast<int>(due->size());
}

rewardd::books::ReconcileRequest shopify_request(std::shared_ptr<shopify::AdminApi> api, int page_size) {
    auto codes = std::make_shared<rewardd::books::ShopifyDiscountLister>(api->graphql, sleep_ms, page_size);
    auto credits = std::make_shared<rewardd::books::ShopifyCreditLister>(api->graphql, sleep_ms, page_size);
    rewardd::books::ReconcileRequest r;
    r.listers["shopify"] = [codes](const Shop& shop) { return codes->list(shop); };
    r.credit_listers["shopify"] = [credits](const Shop& shop, const std::string& customer) {
        return credits->list(shop, customer);
    };
    return r;
}

std::int64_t count(History& h, const std::string& sql) { return h.db->execAndGet(sql).getInt64(); }

std::string cashback_grant_id(History& h, int offset) {
    return h.db->execAndGet("SELECT grant_id FROM outbox WHERE grant_id LIKE '%:cashback:%' ORDER BY grant_id LIMIT 1 "
                            "OFFSET " + std::to_string(offset)).getString();
}

std::string column(History& h, const std::string& grant_id, const char* what) {
    return h.db->execAndGet("SELECT " + std::string(what) + " FROM outbox WHERE grant_id = '" + grant_id + "'")
        .getString();
}

}  // namespace

TEST_CASE("Shopify cashback as discount codes: clean agrees, a deleted, an edited and a hand-made code and a lost "
          "delivery are found") {
    FakeShopify::Options options;
    options.restore_per_s = 1000;  // a Plus shop: the bucket is not the subject here
    FakeShopify fake(options);
    auto api = std::make_shared<shopify::AdminApi>(std::make_unique<CurlHttpClient>(), shopify::AdminOptions{},
                                                   now_ms, sleep_ms);
    History h;
    make_shopify_history(h, fake, options, "");
    const auto cashback = count(h, "SELECT COUNT(*) FROM ledger WHERE kind = 'cashback_due' AND base_minor > 0");
    REQUIRE(cashback > 20);
    const int delivered = deliver_to_shopify(h, api);
    CHECK(delivered == cashback + 3);
    CHECK(fake.discounts().size() == static_cast<std::size_t>(cashback + 3));

    const auto clean = rewardd::books::reconcile(h.db, shopify_request(api, 25));
    REQUIRE_MESSAGE(clean, clean.error().message);
    CHECK(kinds(clean->findings).empty());
    CHECK(clean->platform_rewards_listed == static_cast<std::size_t>(cashback + 3));
    CHECK(fake.operations("codeDiscountNodes") == static_cast<int>((cashback + 3 + 24) / 25));

    const std::string gone = cashback_grant_id(h, 0), edited = cashback_grant_id(h, 1), lost = cashback_grant_id(h, 2);
    REQUIRE(fake.delete_discount(column(h, gone, "json_extract(grant_body, '$.code')")));
    REQUIRE(fake.set_discount_amount(column(h, edited, "json_extract(grant_body, '$.code')"), "99.00"));
    fake.add_discount("CB-0000-AAAA-1111", "made by hand", "9.00");
    h.db->exec("DELETE FROM outbox WHERE grant_id = '" + lost + "'");
    const auto found = rewardd::books::reconcile(h.db, shopify_request(api, 25));
    REQUIRE(found);
    CHECK(kinds(found->findings) == std::vector<std::string>{"reward_not_queued " + lost, "reward_missing " + gone,
                                                              "reward_differs " + edited,
                                                              "reward_unknown CB-0000-AAAA-1111"});
    const auto* differs = &found->findings[2];
    CHECK(differs->detail.find("amount 99.00 instead of") != std::string::npos);

    // A code's minimum order: the grant's agrees, none in the shop differs.
    const std::string kept = h.db->execAndGet("SELECT grant_id FROM outbox WHERE json_extract(grant_body, '$.currency') = "
                                              "'EUR' AND grant_id NOT IN ('" + gone + "', '" + edited + "') LIMIT 1")
                                 .getString();
    const std::string kept_code = column(h, kept, "json_extract(grant_body, '$.code')");
    h.db->exec("UPDATE outbox SET grant_body = json_set(grant_body, '$.minimum_subtotal_minor', 2000) WHERE grant_id = '" +
               kept + "'");
    REQUIRE(fake.set_discount_minimum(kept_code, "20.0"));
    const auto minimum_agrees = rewardd::books::reconcile(h.db, shopify_request(api, 25));
    REQUIRE(minimum_agrees);
    CHECK(kinds(minimum_agrees->findings) == kinds(found->findings));
    REQUIRE(fake.set_discount_minimum(kept_code, ""));
    const auto minimum_gone = rewardd::books::reconcile(h.db, shopify_request(api, 25));
    REQUIRE(minimum_gone);
    const auto minimum_differs = std::find_if(minimum_gone->findings.begin(), minimum_gone->findings.end(),
                                              [&](const auto& f) { return f.subject == kept; });
    REQUIRE(minimum_differs != minimum_gone->findings.end());
    CHECK(finding_kind_id(minimum_differs->kind) == std::string("reward_differs"));
    CHECK(minimum_differs->detail.find("minimum order none instead of 20.00") != std::string::npos);
    REQUIRE(fake.set_discount_minimum(kept_code, "20.00"));

    // --fix: the lost delivery is queued again (addressed to the customer's Shopify id), the deleted
    // code re-queued; once delivered only what a person must decide remains.
    CHECK(rewardd::books::apply_repairs(h.db, found->findings, h.end + 60).size() == 2);
    CHECK(deliver_to_shopify(h, api) == 2);
    const auto again = rewardd::books::reconcile(h.db, shopify_request(api, 25));
    REQUIRE(again);
    CHECK(kinds(again->findings) ==
          std::vector<std::string>{"reward_differs " + edited, "reward_unknown CB-0000-AAAA-1111"});
}

TEST_CASE("Shopify cashback as store credit: each customer's credits paged within the bucket, and a missing, an "
          "edited and a twice-paid credit are found, one made by hand is not") {
    FakeShopify::Options options;
    options.bucket_max = 60;  // a page of 2 transactions costs 6, the deliveries 12: the pacer must wait
    options.restore_per_s = 600;
    FakeShopify fake(options);
    auto api = std::make_shared<shopify::AdminApi>(std::make_unique<CurlHttpClient>(), shopify::AdminOptions{},
                                                   now_ms, sleep_ms);
    History h;
    make_shopify_history(h, fake, options, "store-credit");
    const auto cashback = count(h, "SELECT COUNT(*) FROM ledger WHERE kind = 'cashback_due' AND base_minor > 0");
    REQUIRE(cashback > 2 * k_customers);
    CHECK(count(h, "SELECT COUNT(*) FROM outbox WHERE json_extract(grant_body, '$.kind') = 'store_credit'") == cashback);
    REQUIRE(deliver_to_shopify(h, api) == cashback + 3);
    REQUIRE(fake.credits().size() == static_cast<std::size_t>(cashback));

    const int account_lookups = fake.operations("storeCreditAccounts");  // the deliverer's own
    const auto clean = rewardd::books::reconcile(h.db, shopify_request(api, 2));
    REQUIRE_MESSAGE(clean, clean.error().message);
    CHECK(kinds(clean->findings).empty());
    CHECK(clean->platform_rewards_listed == static_cast<std::size_t>(cashback + 3));  // credits and the 3 codes
    // Every customer's account listed to its end, two transactions a page.
    const auto credited = count(h, "SELECT COUNT(DISTINCT json_extract(grant_body, '$.customer_platform_id')) "
                                   "FROM outbox WHERE json_extract(grant_body, '$.kind') = 'store_credit'");
    CHECK(credited > 5);
    CHECK(fake.operations("storeCreditAccounts") - account_lookups == credited);
    CHECK(fake.operations("storeCreditAccount") >= static_cast<int>(cashback / 2));

    const std::string gone = cashback_grant_id(h, 0), edited = cashback_grant_id(h, 1);
    REQUIRE(fake.remove_credit(column(h, gone, "platform_ref")));
    REQUIRE(fake.set_credit_amount(column(h, edited, "platform_ref"), "123.45"));
    fake.add_discount("RWD-0000-BBBB-2222", "made by hand", "5.00");
    const std::string twice = cashback_grant_id(h, 2);
    const auto credits = fake.credits();
    const auto original = std::find_if(credits.begin(), credits.end(),
                                       [&](const auto& c) { return c.id == column(h, twice, "platform_ref"); });
    REQUIRE(original != credits.end());
    fake.add_credit(*original);  // the same grant credited a second time
    auto by_hand = *original;    // staff crediting the same customer in the Shopify admin
    by_hand.amount = "7.00";
    by_hand.expires_at = "";
    fake.add_credit(by_hand);
    const auto found = rewardd::books::reconcile(h.db, shopify_request(api, 2));
    REQUIRE(found);
    CHECK(kinds(found->findings) == std::vector<std::string>{"reward_missing " + gone, "reward_differs " + edited,
                                                              "reward_duplicated " + twice,
                                                              "reward_unknown RWD-0000-BBBB-2222"});
    CHECK(found->findings[1].detail.find("amount 123.45") != std::string::npos);

    // --fix re-queues the missing credit; the deliverer finds no credit with its fingerprint and pays it.
    CHECK(rewardd::books::apply_repairs(h.db, found->findings, h.end + 60).size() == 1);
    CHECK(deliver_to_shopify(h, api) == 1);
    CHECK(fake.credits().size() == static_cast<std::size_t>(cashback + 2));
    const auto again = rewardd::books::reconcile(h.db, shopify_request(api, 2));
    REQUIRE(again);
    CHECK(kinds(again->findings) == std::vector<std::string>{"reward_differs " + edited, "reward_duplicated " + twice,
                                                              "reward_unknown RWD-0000-BBBB-2222"});
}
