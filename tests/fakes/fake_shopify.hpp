// A fake Shopify for tests (cpp-httplib on 127.0.0.1, a free port) that follows INTEGRATION.md S1,
// S4, S5: the client credentials token endpoint with expiring tokens, and the Admin GraphQL
// endpoint of one pinned version that checks the token, keeps a cost-based leaky bucket (THROTTLED
// when short), and answers discountCodeBasicCreate (TAKEN on a repeated code), codeDiscountNodeByCode,
// storeCreditAccountCredit, the customer's store credit accounts (one per currency) and an
// account's transactions page by page (storeCreditAccount), metafieldsSet (atomic, at most 25,
// validated: ownerId gid, namespace 3-255, key 2-64, known type, value fitting it, not blank),
// webhookSubscriptions(+Create) and currentAppInstallation; and the REST order list (GET
// orders.json: status, updated_at_min, limit, cursor pages through Link, the call-limit bucket of
// 40 leaking 2 a second with its header, 429 past it). Knobs inject 5xx/429, hangs or INTERNAL_SERVER_ERROR after the mutation was committed, a drained
// bucket and revoked tokens.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rewardd::test {

class FakeShopify {
public:
    struct Options {
        int port = 0;                             // 0: any free port
        std::string api_version = "2026-07";
        std::string client_id = "fake-client-id";
        std::string client_secret = "fake-client-secret-0123456789abcdef";
        std::string static_token;                 // accepted as well when set (legacy custom app)
        std::int64_t token_lifetime_s = 86399;
        std::int64_t bucket_max = 1000;           // points
        std::int64_t restore_per_s = 50;          // points per second
        std::vector<std::string> scopes{"read_orders", "read_customers", "write_discounts",
                                        "write_store_credit_account_transactions"};
    };
    struct Discount {
        std::string id, code, title, customer, amount, ends_at;
        int usage_limit = 0;
        int usage_count = 0;  // asyncUsageCount
        std::string minimum_subtotal;  // minimumRequirement.subtotal.greaterThanOrEqualToSubtotal; "": none
    };
    struct Credit {
        std::string id, customer, amount, currency, expires_at, account;
    };
    struct Subscription {
        std::string id, topic, uri;
    };
    struct Metafield {
        std::string owner, ns, key, type, value;
    };

    FakeShopify() : FakeShopify(Options{}) {}
    explicit FakeShopify(Options options);
    ~FakeShopify();

    int port() const { return m_port; }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    // Knobs.
    void fail_next(int count, int status = 503);  // the next GraphQL requests answer `status`
    void hang_after_commit(int count, int hang_ms);  // next mutations commit, then answer late
    // The next mutations commit, then answer 200 with a top-level INTERNAL_SERVER_ERROR, as
    // Shopify does now and then ("Internal error. Looks like something went wrong on our end.").
    void internal_error_after_commit(int count);
    void drain_bucket();                          // currentlyAvailable = 0 from now
    void revoke_tokens();                         // every issued token answers 401 from now
    void remove_subscriptions();                  // as Shopify does after failed deliveries
    void release_hangs();                         // hanging requests answer now
    // What a merchant or customer does in the shop (reconcile tests).
    bool delete_discount(const std::string& code);
    bool use_discount(const std::string& code);
    void add_discount(const std::string& code, const std::string& title, const std::string& amount);
    bool set_discount_amount(const std::string& code, const std::string& amount);
    bool set_discount_minimum(const std::string& code, const std::string& subtotal);  // "": none
    bool set_credit_amount(const std::string& transaction_id, const std::string& amount);  // as if credited so
    bool remove_credit(const std::string& transaction_id);  // as if it never reached the shop
    // A credit staff made in the Shopify admin (or a copy of one of rewardd's); returns its id.
    std::string add_credit(const Credit& credit);

    // The shop's orders as the REST Admin API lists them: added or replaced by id. Each must carry
    // `updated_at` (what updated_at_min filters on); `cancelled_at`/`closed_at` set them apart
    // from open ones (the list's default status).
    void put_order(const nlohmann::json& order);
    void set_order_page_size(int size);  // a page holds at most this many, whatever limit is asked
    // The next order list requests answer `status` (with Retry-After when given).
    void fail_next_order_lists(int count, int status, const std::string& retry_after = "");

    // Observations.
    // updated_at_min of every first-page order list request answered 200, in order.
    std::vector<std::string> order_list_queries() const;
    int order_list_requests() const;  // every GET orders.json, whatever the answer
    std::vector<Discount> discounts() const;
    std::vector<Credit> credits() const;
    std::vector<Subscription> subscriptions() const;
    // The current value of owner's metafield namespace.key; "" when never set.
    std::string metafield(const std::string& owner, const std::string& ns, const std::string& key) const;
    std::vector<std::string> issued_tokens() const;
    int token_requests() const;
    int throttled_answers() const;
    int unauthorized_answers() const;
    int wrong_version_requests() const;
    int operations(const std::string& name) const;  // e.g. "discountCodeBasicCreate"
    int hangs_started() const;
    // Polls `done` until it holds or `timeout_ms` passes (bounded wait for asynchronous effects).
    static bool wait_until(const std::function<bool()>& done, int timeout_ms = 10000);

private:
    void on_token(const httplib::Request& req, httplib::Response& res);
    void on_graphql(const httplib::Request& req, httplib::Response& res);
    void on_order_list(const httplib::Request& req, httplib::Response& res);
    bool take_rest_call(std::int64_t& used_after);
    bool token_ok(const std::string& token);
    bool take_from_bucket(std::int64_t cost, std::int64_t& available_after);
    std::string run_operation(const std::string& query, const nlohmann::json& variables);
    nlohmann::json set_metafields(const nlohmann::json& inputs);
    nlohmann::json discount_page(const nlohmann::json& variables) const;
    nlohmann::json credit_page(const nlohmann::json& variables) const;
    std::string account_for(const std::string& customer, const std::string& currency);

    Options m_options;
    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::map<std::string, std::int64_t> m_tokens;  // token -> expiry (steady ms); 0 = revoked
    std::map<std::string, Discount> m_discounts;   // by upper-case code
    std::vector<Credit> m_credits;
    std::map<std::string, std::string> m_accounts;  // customer|currency -> account gid
    std::vector<Subscription> m_subscriptions;
    std::map<std::string, Metafield> m_metafields;  // by owner|namespace|key
    std::map<std::string, int> m_operations;
    int m_token_requests = 0, m_throttled = 0, m_unauthorized = 0, m_wrong_version = 0;
    int m_fail_count = 0, m_fail_status = 503, m_hang_count = 0, m_hang_ms = 0, m_hangs_started = 0;
    int m_internal_error_count = 0;
    bool m_release = false;
    std::int64_t m_available = 0, m_bucket_at_ms = 0;
    int m_next_id = 1000;
    struct OrderCursor {
        std::string status;
        std::int64_t updated_min = 0;
        std::size_t offset = 0;
        std::size_t limit = 50;
    };
    std::map<std::string, nlohmann::json> m_orders;  // by id
    std::map<std::string, OrderCursor> m_order_cursors;  // by page_info
    std::vector<std::string> m_order_list_queries;
    int m_order_list_requests = 0, m_order_page_size = 250, m_order_fail_count = 0, m_order_fail_status = 503;
    std::string m_order_fail_retry_after;
    double m_rest_used = 0;
    std::int64_t m_rest_at_ms = 0;
};

}  // namespace rewardd::test
