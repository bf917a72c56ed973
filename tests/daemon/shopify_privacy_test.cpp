// End to end: Shopify's privacy topics and app/uninstalled. Each is answered at once and carried
// out afterwards; the ledger's totals never change.
#include <filesystem>

#include "daemon/shopify_support.hpp"

using namespace rewardd::test;
using namespace rewardd::test::shopify;

namespace {

const std::string k_john = "john@example.com";

// orders-paid.json re-addressed: another customer's e-mail and id, another order id.
std::string order_of(const std::string& email, const std::string& customer_id, const std::string& order_id) {
    std::string body = fixture("orders-paid.json");
    for (auto [from, to] : {std::pair<std::string, std::string>{"bob.norman@mail.example.com", email},
                            {"207119551", customer_id}, {"450789469", order_id}}) {
        for (auto at = body.find(from); at != std::string::npos; at = body.find(from, at + to.size())) {
            body.replace(at, from.size(), to);
        }
    }
    return body;
}

// The customer the privacy fixtures name.
std::string john_order() { return order_of(k_john, "191167", "299938"); }

std::int64_t count(const std::string& data, const std::string& sql) { return query_int(data, sql); }

// `rewardd explain` of the customer erased under `pseudonym`: the balance as the JSON tells it, and
// whether the plain story or the JSON still names the erased e-mail.
struct Explained {
    std::int64_t points = 0;
    std::size_t entries = 0;
    bool names_john = true;
};
Explained explain_pseudonym(const std::string& data, const std::string& pseudonym) {
    const auto story = run_rewardd({"explain", pseudonym, "--data", data});
    const auto listed = run_rewardd({"explain", pseudonym, "--json", "--data", data});
    REQUIRE_MESSAGE(story.exit_code == 0, story.err);
    REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
    const auto doc = json::parse(listed.out);
    return {doc["available"].get<std::int64_t>() + doc["pending"].get<std::int64_t>(), doc["entries"].size(),
            (story.out + listed.out).find(k_john) != std::string::npos};
}

}  // namespace

TEST_CASE("customers/redact erases the customer's e-mail and id while the ledger totals stay") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    REQUIRE(post_signed(daemon, "orders/paid", john_order(), "w-john")->status == 200);
    REQUIRE(post_fixture(daemon, "orders-paid.json")->status == 200);
    wait_applied(dir.str());
    const auto total_before = count(dir.str(), "SELECT SUM(pending_delta + available_delta) FROM ledger");
    REQUIRE(balance(dir.str(), k_john) == 587);

    auto res = post_fixture(daemon, "customers-redact.json");
    REQUIRE(res);
    CHECK(res->status == 200);
    REQUIRE(eventually([&] {
        return count(dir.str(), "SELECT COUNT(*) FROM privacy_requests WHERE status = 'done'") == 1;
    }));
    CHECK(count(dir.str(), "SELECT COUNT(*) FROM events WHERE instr(body, 'john@example.com') > 0") == 0);
    CHECK(count(dir.str(), "SELECT COUNT(*) FROM events WHERE instr(body, '191167') > 0") == 0);
    CHECK(count(dir.str(), "SELECT COUNT(*) FROM customers WHERE key = 'john@example.com' OR email = 'john@example.com'") == 0);
    CHECK(count(dir.str(), "SELECT COUNT(*) FROM privacy_requests WHERE body <> ''") == 0);
    CHECK(count(dir.str(), "SELECT COUNT(*) FROM ledger_pseudonymous WHERE customer = 'john@example.com'") == 0);
    CHECK(count(dir.str(), "SELECT SUM(pending_delta + available_delta) FROM ledger_pseudonymous "
                           "WHERE customer LIKE 'erased-%@erased.invalid'") == 587);
    CHECK(count(dir.str(), "SELECT SUM(pending_delta + available_delta) FROM ledger") == total_before);
    CHECK(balance(dir.str(), "bob.norman@mail.example.com") == 587);  // nobody else is touched
    CHECK(daemon.log().find(k_john) == std::string::npos);
    // The erased customer's books are still one customer's, told under the pseudonym.
    const std::string pseudonym = open_db(dir.str()).execAndGet("SELECT pseudonym FROM erased_customers "
                                                                "WHERE pseudonym LIKE 'erased-%'").getString();
    const auto erased = explain_pseudonym(dir.str(), pseudonym);
    CHECK(erased.points == 587);
    CHECK(erased.entries > 0);
    CHECK_FALSE(erased.names_john);

    // A late delivery for the erased customer's order still lands on the same books.
    REQUIRE(post_signed(daemon, "orders/cancelled", [] {
        std::string body = john_order();
        body.replace(body.find("\"cancelled_at\":null"), 19, "\"cancelled_at\":\"2025-04-02T11:31:21-05:00\"");
        return body;
    }(), "w-john-cancel")->status == 200);
    wait_applied(dir.str());
    CHECK(count(dir.str(), "SELECT SUM(pending_delta + available_delta) FROM ledger_pseudonymous "
                           "WHERE customer LIKE 'erased-%@erased.invalid'") == 0);
    const auto cancelled = explain_pseudonym(dir.str(), pseudonym);
    CHECK(cancelled.points == 0);  // the award and its reversal, under the one pseudonym
    CHECK(cancelled.entries > erased.entries);
    CHECK_FALSE(cancelled.names_john);
}

TEST_CASE("customers/data_request writes the customer's data as a JSON export in the data folder") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    REQUIRE(post_signed(daemon, "orders/paid", john_order(), "w-john")->status == 200);
    wait_applied(dir.str());
    REQUIRE(post_fixture(daemon, "customers-data-request.json")->status == 200);
    const auto path = dir.path() / "exports" / "shopify-s1-data-request-9999.json";
    REQUIRE(eventually([&] { return std::filesystem::exists(path) &&
                                    count(dir.str(), "SELECT COUNT(*) FROM privacy_requests WHERE status='done'") == 1; }));
    const auto exported = json::parse(read_file(path.string()));
    CHECK(exported["email"] == k_john);
    CHECK(exported["ledger"].size() == 4);  // three lines earned, released (the order is from 2008)
    CHECK(exported["events"].size() == 2);  // placed and paid
    CHECK(exported["request"]["orders_requested"].size() == 3);
    CHECK(daemon.log().find(path.string()) != std::string::npos);
    CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::others_read) ==
          std::filesystem::perms::none);
}

TEST_CASE("shop/redact erases the shop's customers and credentials, app/uninstalled marks the shop") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    REQUIRE(post_fixture(daemon, "orders-paid.json")->status == 200);
    // A real address that merely starts like a pseudonym ("erased-…@erased.invalid") is erased too.
    const std::string erased_fan = "erased.fan@example.com";
    REQUIRE(post_signed(daemon, "orders/paid", order_of(erased_fan, "191168", "299939"), "w-fan")->status == 200);
    wait_applied(dir.str());
    auto gone = post_signed(daemon, "app/uninstalled", R"({"id":954889,"domain":"jsmith.myshopify.com"})", "w-un");
    REQUIRE(gone);
    CHECK(gone->status == 200);
    auto shops = run_rewardd({"shop", "list", "--json", "--data", dir.str()});
    CHECK(json::parse(shops.out)[0]["settings"].contains("uninstalled_at"));

    REQUIRE(post_fixture(daemon, "shop-redact.json")->status == 200);
    REQUIRE(eventually([&] {
        return count(dir.str(), "SELECT COUNT(*) FROM privacy_requests WHERE status = 'done'") == 1;
    }));
    CHECK(count(dir.str(), "SELECT COUNT(*) FROM events WHERE instr(body, 'bob.norman@mail.example.com') > 0") == 0);
    CHECK(count(dir.str(), "SELECT COUNT(*) FROM events WHERE instr(body, '" + erased_fan + "') > 0") == 0);
    CHECK(count(dir.str(), "SELECT COUNT(*) FROM customers WHERE instr(email, 'example.com') > 0") == 0);
    CHECK(count(dir.str(), "SELECT SUM(pending_delta + available_delta) FROM ledger") == 2 * 587);
    shops = run_rewardd({"shop", "list", "--json", "--data", dir.str()});
    const auto settings = json::parse(shops.out)[0]["settings"];
    CHECK_FALSE(settings.contains("client_secret"));
    CHECK(settings.contains("redacted_at"));
}

TEST_CASE("a privacy request with a bad HMAC is refused with 401") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    auto res = post_signed(daemon, "customers/redact", fixture("customers-redact.json"), "w-x", "wrong-secret");
    REQUIRE(res);
    CHECK(res->status == 401);
    CHECK(count(dir.str(), "SELECT COUNT(*) FROM privacy_requests") == 0);
}
