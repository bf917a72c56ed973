// A fake WooCommerce shop for tests: cpp-httplib on 127.0.0.1 (a free port) serving the REST
// coupons endpoints as INTEGRATION.md W3 describes them: OAuth 1.0a one-legged over plain http
// (Basic refused there, as WooCommerce does), codes stored lower-case, duplicates refused with
// woocommerce_rest_coupon_code_already_exists, lookup by ?code=. It records every request and can
// be told to fail: 500, 429 + Retry-After, slow answers, or a created coupon whose answer is lost;
// and to stay down for as long as a test likes (set_outage: 503s, 429s, hangs, reset connections).
// It also lists orders (GET /orders: modified_after, status, orderby, order, per_page, page, with
// X-WP-Total and X-WP-TotalPages) so the daemon can sweep orders whose webhooks were lost: WooCommerce
// never retries a failed delivery, so such orders are only found by asking.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rewardd::test {

struct FakeCoupon {
    int id = 0;
    std::string code;
    std::string amount;
    std::string grant_id;  // meta_data rewardd_grant_id
    std::string body;      // the JSON WooCommerce answers with
    bool trashed = false;  // status "trash"
    std::string minimum_amount = "0.00";  // as the REST API answers it (2 decimals; "0.00": none)
};

struct RecordedRequest {
    std::string method;
    std::string path;
    std::string auth;  // "oauth", "basic" or "none"
    int status = 0;    // what the fake answered
    std::string body;
};

// A sustained outage met by every request until it is set back to `none`.
enum class Outage {
    none,
    server_error,  // 503, nothing created
    rate_limited,  // 429 with Retry-After: 1
    hanging,       // a creation is carried out, then the answer never comes (the client times out); no
                   // request is answered, a repeated creation's duplicate error included
    resetting,     // the connection is reset (TCP RST) before anything is read
};

class FakeWooCommerce {
public:
    FakeWooCommerce(std::string consumer_key, std::string consumer_secret);
    ~FakeWooCommerce();

    std::string url() const;  // http://127.0.0.1:PORT, the shop's home URL
    int port() const { return m_port; }

    // The next `n` coupon creations answer `status` (500, 503...) without creating anything.
    void fail_next_creates(int n, int status = 500);
    // The next `n` requests answer 429 with Retry-After: seconds.
    void rate_limit_next(int n, int retry_after_s);
    // The next `n` coupon creations create the coupon, then answer 500 (the answer is "lost").
    void lose_next_create_answers(int n);
    // Coupon creations create the coupon, then hold the answer up to `ms` (or until release()).
    void hold_create_answers(int ms);
    void release();
    // A coupon created by someone else (another grant id).
    void add_coupon(const std::string& code, const std::string& grant_id);
    void set_outage(Outage outage);
    int outage_answers(Outage outage) const;  // requests that met this outage so far

    // A product GET /products/<id> answers with, its categories given as slugs (W2: order JSON
    // carries none). Unknown products answer 404 woocommerce_rest_product_invalid_id.
    void add_product(int id, const std::vector<std::string>& category_slugs);
    // The next `n` product reads answer `status` (500, 503...).
    void fail_next_product_reads(int n, int status = 503);
    // A refund GET /orders/<order>/refunds/<refund> answers with (`document`: its JSON, as
    // INTEGRATION.md W3.4 shows it). Unknown refunds answer 404
    // woocommerce_rest_shop_order_refund_invalid_id.
    void add_refund(int order_id, int refund_id, const std::string& document);
    // The next `n` refund reads answer `status` (500, 503...).
    void fail_next_refund_reads(int n, int status = 503);
    // What a merchant or a customer does in the shop (for reconcile tests): delete a coupon for
    // good, move it to the trash, use it once (usage_count and used_by, as WooCommerce records an
    // order that used it).
    bool delete_coupon(const std::string& code);
    bool trash_coupon(const std::string& code);
    bool set_coupon_minimum(const std::string& code, const std::string& minimum_amount);  // edited in wp-admin
    bool use_coupon(const std::string& code, const std::string& email);
    // The next `n` coupon listings (GET) answer 429 with Retry-After: seconds.
    void rate_limit_next_lists(int n, int retry_after_s);
    // GET /coupons lists trashed coupons too, as newer coupons controllers do (their `status`
    // parameter defaults to every status); by default it leaves them out, as WP_Query's default
    // (published only) does in controllers that set no status. Lookup by ?code= and the duplicate
    // check on creation never see the trash (wc_get_coupon_id_by_code: published only), and
    // GET /coupons/<id> reads a coupon whatever its status.
    void list_trash_by_default(bool on);
    // An order GET /orders lists, answered as `order_json` is given (byte for byte), or the new version of
    // the stored order with the same `id` (an update in the shop). Read from it: id, status,
    // date_modified_gmt and, when present, date_created_gmt (GMT without a zone: "2026-12-07T20:00:00").
    void put_order(const std::string& order_json);
    // The next `n` order listings answer 429 with Retry-After: seconds.
    void rate_limit_next_order_lists(int n, int retry_after_s);
    // The next `n` order listings answer `status` (500, 503...).
    void fail_next_order_lists(int n, int status = 503);
    // Listings leave modified_after aside and list every order, as a shop whose WooCommerce predates
    // that parameter does (WordPress drops parameters a route does not declare).
    void ignore_modified_after(bool on);
    // The query of every order listing received, in order, whatever it was answered (outages, 429, 401
    // included): its decoded parameters without the oauth_* ones; a repeated key keeps its last value, as
    // PHP reads it.
    std::vector<std::map<std::string, std::string>> order_list_queries() const;

    std::vector<FakeCoupon> coupons() const;
    std::vector<RecordedRequest> requests() const;
    int count(const std::string& method) const;

private:
    bool authenticate(const httplib::Request& req, httplib::Response& res, std::string& kind);
    // `met`, when given, receives the outage the request met: a request that met one is dealt
    // with by it even if the test sets another meanwhile.
    bool meet_outage(const httplib::Request& req, httplib::Response& res, Outage* met = nullptr);
    void create_coupon(const httplib::Request& req, httplib::Response& res);
    void list_coupons(const httplib::Request& req, httplib::Response& res);
    void get_coupon(const httplib::Request& req, httplib::Response& res);
    void get_product(const httplib::Request& req, httplib::Response& res);
    void get_refund(const httplib::Request& req, httplib::Response& res);
    void list_orders(const httplib::Request& req, httplib::Response& res);
    void answer_order_list(const std::map<std::string, std::string>& query, httplib::Response& res);
    void record(const httplib::Request& req, const std::string& auth, int status);
    void never_answer(std::unique_lock<std::mutex>& lock, const httplib::Request& req, httplib::Response& res,
                      const std::string& auth);
    FakeCoupon store_locked(const std::string& code, const std::string& amount, const std::string& grant_id,
                            const std::string& request_body);

    std::string m_key;
    std::string m_secret;
    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;

    mutable std::mutex m_mutex;
    std::condition_variable m_released_cv;
    bool m_released = false;
    int m_fail_creates = 0;
    int m_fail_status = 500;
    int m_rate_limited = 0;
    int m_list_rate_limited = 0;
    bool m_list_trash = false;
    int m_retry_after_s = 1;
    int m_lose_answers = 0;
    int m_hold_ms = 0;
    int m_next_id = 100;
    Outage m_outage = Outage::none;
    std::map<Outage, int> m_outage_answers;
    std::vector<FakeCoupon> m_coupons;
    std::map<int, std::vector<std::string>> m_products;  // id -> category slugs
    int m_fail_product_reads = 0;
    int m_product_fail_status = 503;
    std::map<std::pair<int, int>, std::string> m_refunds;  // (order, refund) -> document
    int m_fail_refund_reads = 0;
    int m_refund_fail_status = 503;
    struct StoredOrder {
        int id = 0;
        std::string status;
        std::string created_gmt;   // "YYYY-MM-DDTHH:MM:SS"; "" when the order has none
        std::string modified_gmt;  // "YYYY-MM-DDTHH:MM:SS"
        std::string body;          // as put_order was given it
    };
    std::map<int, StoredOrder> m_orders;  // by id
    int m_order_list_rate_limited = 0;
    int m_order_list_retry_after_s = 1;
    int m_fail_order_lists = 0;
    int m_order_list_fail_status = 503;
    bool m_ignore_modified_after = false;
    std::vector<std::map<std::string, std::string>> m_order_list_queries;
    std::vector<RecordedRequest> m_requests;
    std::vector<std::string> m_nonces;
};

}  // namespace rewardd::test
