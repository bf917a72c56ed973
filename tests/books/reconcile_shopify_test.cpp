// reconcile against Shopify: discount codes listed page by page (cursor paging, the cost-based
// bucket respected), a deleted code and a code made by hand found, nothing on a clean shop.
#include <doctest/doctest.h>

#include <thread>

#include "adapters/shopify/admin_api.hpp"
#include "adapters/shopify/shopify_reward_deliverer.hpp"
#include "books/reward_check.hpp"
#include "books/shopify_discount_lister.hpp"
#include "fakes/fake_shopify.hpp"

using namespace rewardd;
using namespace rewardd::test;

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

std::vector<std::string> kinds(const std::vector<books::Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) out.push_back(std::string(books::finding_kind_id(f.kind)) + " " + f.subject);
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
    books::RewardFacts facts;
    facts.shops = {shop};
    for (int n = 0; n < 25; ++n) facts.outbox.push_back(delivered_grant(api, shop, n));
    const std::map<std::string, LedgerEntry> ledger;
    facts.ledger = &ledger;

    books::ShopifyDiscountLister lister(api->graphql, sleep_ms, 10);
    auto listed = lister.list(shop);
    REQUIRE_MESSAGE(listed, listed.error().message);
    CHECK(listed->size() == 25);
    CHECK(fake.operations("codeDiscountNodes") == 3);
    CHECK(listed->front().amount == "5.00");
    CHECK(listed->front().customers == std::vector<std::string>{"gid://shopify/Customer/7000"});
    facts.platform.emplace("s1", std::move(listed));
    CHECK(kinds(books::check_rewards(facts, {})).empty());

    REQUIRE(fake.delete_discount("RWD-1003"));
    fake.add_discount("CB-ABCD-0000-1111", "made by hand", "9.00");
    facts.platform.erase("s1");
    facts.platform.emplace("s1", lister.list(shop));
    CHECK(kinds(books::check_rewards(facts, {})) ==
          std::vector<std::string>{"reward_missing s1:redeem:r3", "reward_unknown CB-ABCD-0000-1111"});
}
