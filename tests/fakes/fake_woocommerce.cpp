// The fake shop's routes. Authentication follows WooCommerce's class-wc-rest-authentication.php:
// over plain http only OAuth 1.0a is tried; the base string is rebuilt here independently of
// rewardd's signer (PHP's rawurlencode, strcmp order, k=v pairs encoded and joined by %26).
#include "fakes/fake_woocommerce.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "support/daemon_process.hpp"

namespace rewardd::test {
namespace {

using nlohmann::json;

std::string rawurlencode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

std::string hmac_sha1_base64(const std::string& key, const std::string& message) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), digest, &length);
    static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (unsigned int i = 0; i < length; i += 3) {
        const unsigned int n = (digest[i] << 16) | ((i + 1 < length ? digest[i + 1] : 0) << 8) |
                               (i + 2 < length ? digest[i + 2] : 0);
        out += table[(n >> 18) & 63];
        out += table[(n >> 12) & 63];
        out += i + 1 < length ? table[(n >> 6) & 63] : '=';
        out += i + 2 < length ? table[n & 63] : '=';
    }
    return out;
}

void send_wc_error(httplib::Response& res, int status, const std::string& code, const std::string& message) {
    res.status = status;
    res.set_content(json{{"code", code}, {"message", message}, {"data", {{"status", status}}}}.dump(),
                    "application/json; charset=UTF-8");
}

int socket_port(int fd, bool peer) {
    sockaddr_in addr{};
    socklen_t size = sizeof addr;
    const int r = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &size)
                       : getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size);
    return r == 0 && addr.sin_family == AF_INET ? ntohs(addr.sin_port) : -1;
}

// Resets the connection a request came on: cpp-httplib does not hand out its socket, so find it
// by its two ports, make its close abortive (SO_LINGER 0: an RST, not a FIN), and close it by
// putting /dev/null in its place, so the server's own later writes and close touch nothing.
void reset_connection(const httplib::Request& req) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        const int fd = std::atoi(entry.path().filename().c_str());
        if (socket_port(fd, false) != req.local_port || socket_port(fd, true) != req.remote_port) continue;
        const linger abort_on_close{1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
        const int null = ::open("/dev/null", O_RDWR);
        ::dup2(null, fd);
        ::close(null);
        return;
    }
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

}  // namespace

FakeWooCommerce::FakeWooCommerce(std::string consumer_key, std::string consumer_secret)
    : m_key(std::move(consumer_key)), m_secret(std::move(consumer_secret)) {
    m_server.Post("/wp-json/wc/v3/coupons", [this](const httplib::Request& req, httplib::Response& res) {
        create_coupon(req, res);
    });
    m_server.Get("/wp-json/wc/v3/coupons", [this](const httplib::Request& req, httplib::Response& res) {
        list_coupons(req, res);
    });
    m_server.Get(R"(/wp-json/wc/v3/coupons/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
        get_coupon(req, res);
    });
    m_server.Get(R"(/wp-json/wc/v3/products/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
        get_product(req, res);
    });
    m_server.Get(R"(/wp-json/wc/v3/orders/(\d+)/refunds/(\d+))",
                 [this](const httplib::Request& req, httplib::Response& res) { get_refund(req, res); });
    m_port = m_server.bind_to_any_port("127.0.0.1");
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
    for (int i = 0; i < 200 && !m_server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

FakeWooCommerce::~FakeWooCommerce() {
    release();
    m_server.stop();
    if (m_thread.joinable()) m_thread.join();
}

std::string FakeWooCommerce::url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

void FakeWooCommerce::fail_next_creates(int n, int status) {
    std::lock_guard lock(m_mutex);
    m_fail_creates = n;
    m_fail_status = status;
}

void FakeWooCommerce::rate_limit_next(int n, int retry_after_s) {
    std::lock_guard lock(m_mutex);
    m_rate_limited = n;
    m_retry_after_s = retry_after_s;
}

void FakeWooCommerce::lose_next_create_answers(int n) {
    std::lock_guard lock(m_mutex);
    m_lose_answers = n;
}

void FakeWooCommerce::hold_create_answers(int ms) {
    std::lock_guard lock(m_mutex);
    m_hold_ms = ms;
    m_released = false;
}

void FakeWooCommerce::release() {
    {
        std::lock_guard lock(m_mutex);
        m_released = true;
        m_hold_ms = 0;
    }
    m_released_cv.notify_all();
}

void FakeWooCommerce::set_outage(Outage outage) {
    {
        std::lock_guard lock(m_mutex);
        m_outage = outage;
        m_released = outage != Outage::hanging;
    }
    m_released_cv.notify_all();
}

int FakeWooCommerce::outage_answers(Outage outage) const {
    std::lock_guard lock(m_mutex);
    auto it = m_outage_answers.find(outage);
    return it == m_outage_answers.end() ? 0 : it->second;
}

// True when the request met the outage and has been dealt with. A hanging creation is left to
// create_coupon (it creates, then holds the answer).
bool FakeWooCommerce::meet_outage(const httplib::Request& req, httplib::Response& res, Outage* met) {
    Outage outage;
    {
        std::lock_guard lock(m_mutex);
        outage = m_outage;
        if (outage != Outage::none) ++m_outage_answers[outage];
    }
    if (met) *met = outage;
    switch (outage) {
    case Outage::none:
        return false;
    case Outage::server_error:
        send_wc_error(res, 503, "service_unavailable", "Service Unavailable");
        break;
    case Outage::rate_limited:
        res.set_header("Retry-After", "1");
        send_wc_error(res, 429, "rest_too_many_requests", "Too many requests.");
        break;
    case Outage::hanging:
        if (req.method == "POST") return false;
        {
            std::unique_lock lock(m_mutex);
            m_released_cv.wait_for(lock, std::chrono::seconds(30), [this] { return m_released; });
        }
        send_wc_error(res, 503, "service_unavailable", "Service Unavailable");
        break;
    case Outage::resetting:
        reset_connection(req);
        res.status = 500;  // written to /dev/null
        break;
    }
    record(req, "none", res.status);
    return true;
}

void FakeWooCommerce::add_coupon(const std::string& code, const std::string& grant_id) {
    std::lock_guard lock(m_mutex);
    store_locked(code, "1.00", grant_id, "{}");
}

void FakeWooCommerce::add_product(int id, const std::vector<std::string>& category_slugs) {
    std::lock_guard lock(m_mutex);
    m_products[id] = category_slugs;
}

void FakeWooCommerce::add_refund(int order_id, int refund_id, const std::string& document) {
    std::lock_guard lock(m_mutex);
    m_refunds[{order_id, refund_id}] = document;
}

void FakeWooCommerce::fail_next_refund_reads(int n, int status) {
    std::lock_guard lock(m_mutex);
    m_fail_refund_reads = n;
    m_refund_fail_status = status;
}

void FakeWooCommerce::fail_next_product_reads(int n, int status) {
    std::lock_guard lock(m_mutex);
    m_fail_product_reads = n;
    m_product_fail_status = status;
}

std::vector<FakeCoupon> FakeWooCommerce::coupons() const {
    std::lock_guard lock(m_mutex);
    return m_coupons;
}

std::vector<RecordedRequest> FakeWooCommerce::requests() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
}

int FakeWooCommerce::count(const std::string& method) const {
    std::lock_guard lock(m_mutex);
    return static_cast<int>(std::count_if(m_requests.begin(), m_requests.end(),
                                          [&](const auto& r) { return r.method == method; }));
}

void FakeWooCommerce::record(const httplib::Request& req, const std::string& auth, int status) {
    std::lock_guard lock(m_mutex);
    m_requests.push_back({req.method, req.path, auth, status, req.body});
}

// WooCommerce over plain http: Basic is never attempted; OAuth 1.0a with a fresh nonce, a
// timestamp within 15 minutes and a signature over the rebuilt base string.
bool FakeWooCommerce::authenticate(const httplib::Request& req, httplib::Response& res, std::string& kind) {
    kind = req.has_param("oauth_signature") ? "oauth" : (req.has_header("Authorization") ? "basic" : "none");
    if (kind != "oauth") {
        send_wc_error(res, 401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
        return false;
    }
    std::map<std::string, std::string> params;  // std::map orders keys as strcmp does
    for (const auto& [k, v] : req.params) {
        if (k != "oauth_signature") params[k] = v;
    }
    if (params["oauth_consumer_key"] != m_key) {
        send_wc_error(res, 401, "woocommerce_rest_authentication_error", "Consumer key is invalid.");
        return false;
    }
    const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count();
    const long long ts = std::atoll(params["oauth_timestamp"].c_str());
    if (ts < now - 900 || ts > now + 900) {
        send_wc_error(res, 401, "woocommerce_rest_authentication_error", "Invalid timestamp.");
        return false;
    }
    std::string joined;
    for (const auto& [k, v] : params) {
        if (!joined.empty()) joined += "%26";
        joined += rawurlencode(rawurlencode(k) + "=" + rawurlencode(v));
    }
    const std::string base = req.method + "&" + rawurlencode(url() + req.path) + "&" + joined;
    if (hmac_sha1_base64(m_secret + "&", base) != req.get_param_value("oauth_signature")) {
        send_wc_error(res, 401, "woocommerce_rest_authentication_error",
                      "Invalid signature - provided signature does not match.");
        return false;
    }
    std::lock_guard lock(m_mutex);
    const std::string nonce = params["oauth_nonce"];
    if (nonce.empty() || std::find(m_nonces.begin(), m_nonces.end(), nonce) != m_nonces.end()) {
        send_wc_error(res, 401, "woocommerce_rest_authentication_error", "Invalid nonce - nonce has already been used.");
        return false;
    }
    m_nonces.push_back(nonce);
    return true;
}

FakeCoupon FakeWooCommerce::store_locked(const std::string& code, const std::string& amount,
                                         const std::string& grant_id, const std::string& request_body) {
    FakeCoupon c{m_next_id++, lower(code), amount, grant_id, ""};
    json doc = json::parse(request_body);
    if (doc.contains("minimum_amount")) c.minimum_amount = doc["minimum_amount"].get<std::string>();
    doc["minimum_amount"] = c.minimum_amount;
    doc["id"] = c.id;
    doc["code"] = c.code;
    doc["amount"] = amount;
    doc["usage_count"] = 0;
    doc["status"] = "publish";
    doc["meta_data"] = json::array({{{"id", c.id * 10}, {"key", "rewardd_grant_id"}, {"value", grant_id}}});
    c.body = doc.dump();
    m_coupons.push_back(c);
    return c;
}

void FakeWooCommerce::create_coupon(const httplib::Request& req, httplib::Response& res) {
    Outage met = Outage::none;
    if (meet_outage(req, res, &met)) return;
    std::string auth;
    int rate_limited_after = 0;
    {
        std::lock_guard lock(m_mutex);
        if (m_rate_limited > 0) {
            --m_rate_limited;
            rate_limited_after = m_retry_after_s;
        }
    }
    if (rate_limited_after > 0) {
        res.set_header("Retry-After", std::to_string(rate_limited_after));
        send_wc_error(res, 429, "rest_too_many_requests", "Too many requests.");
    } else if (authenticate(req, res, auth)) {
        std::unique_lock lock(m_mutex);
        if (m_fail_creates > 0) {
            --m_fail_creates;
            lock.unlock();
            send_wc_error(res, m_fail_status, "internal_server_error", "There has been a critical error.");
        } else {
            json doc = json::parse(req.body, nullptr, false);
            const std::string code = doc.is_object() ? doc.value("code", "") : "";
            std::string grant_id;
            if (doc.is_object() && doc.contains("meta_data")) {
                for (const auto& m : doc["meta_data"]) {
                    if (m.value("key", "") == "rewardd_grant_id") grant_id = m.value("value", "");
                }
            }
            const bool taken = std::any_of(m_coupons.begin(), m_coupons.end(),
                                           [&](const auto& c) { return !c.trashed && c.code == lower(code); });
            if (doc.is_object() && doc.contains("minimum_amount") && !doc["minimum_amount"].is_string()) {
                lock.unlock();  // the coupons schema types it "string"; WordPress checks args before the handler
                send_wc_error(res, 400, "rest_invalid_param", "Invalid parameter(s): minimum_amount");
            } else if (code.empty()) {
                lock.unlock();
                send_wc_error(res, 400, "woocommerce_rest_empty_coupon_code", "The coupon code cannot be empty.");
            } else if (taken) {
                if (met == Outage::hanging) return never_answer(lock, req, res, auth);
                lock.unlock();
                res.status = 400;
                res.set_content(read_file(std::string(REWARDD_FIXTURES_DIR) +
                                          "/woocommerce/wc-rest-coupon-duplicate-error.json"),
                                "application/json; charset=UTF-8");
            } else {
                const FakeCoupon c = store_locked(code, doc.value("amount", ""), grant_id, req.body);
                if (m_hold_ms > 0) {
                    m_released_cv.wait_for(lock, std::chrono::milliseconds(m_hold_ms), [this] { return m_released; });
                }
                // (the outage the request met: a test ending the outage while this request is
                // under way must not turn it into an answer)
                if (met == Outage::hanging) return never_answer(lock, req, res, auth);
                const bool lose = m_lose_answers > 0;
                if (lose) --m_lose_answers;
                lock.unlock();
                if (lose) {
                    send_wc_error(res, 500, "internal_server_error", "There has been a critical error.");
                } else {
                    res.status = 201;
                    res.set_header("Location", url() + "/wp-json/wc/v3/coupons/" + std::to_string(c.id));
                    res.set_content(c.body, "application/json; charset=UTF-8");
                }
            }
        }
    }
    record(req, auth, res.status);
}

// A hanging shop took the request (and carried it out) but its answer never comes: once let go,
// the connection is reset unanswered.
void FakeWooCommerce::never_answer(std::unique_lock<std::mutex>& lock, const httplib::Request& req,
                                   httplib::Response& res, const std::string& auth) {
    m_released_cv.wait_for(lock, std::chrono::seconds(30), [this] { return m_released; });
    lock.unlock();
    reset_connection(req);
    res.status = 500;  // written to /dev/null
    record(req, auth, res.status);
}

// GET /coupons: ?code= looks one up; otherwise pages of ?per_page= (default 10, at most 100) from
// ?page= (1-based), with X-WP-Total and X-WP-TotalPages as WordPress sends them (W3.2).
void FakeWooCommerce::list_coupons(const httplib::Request& req, httplib::Response& res) {
    if (meet_outage(req, res)) return;
    std::string auth;
    {
        std::lock_guard lock(m_mutex);
        if (m_list_rate_limited > 0) {
            --m_list_rate_limited;
            res.set_header("Retry-After", std::to_string(m_retry_after_s));
            send_wc_error(res, 429, "rest_too_many_requests", "Too many requests.");
        }
    }
    if (res.status != 429 && authenticate(req, res, auth)) {
        const std::string code = lower(req.get_param_value("code"));
        const auto number = [&](const char* name, int fallback) {
            const std::string v = req.get_param_value(name);
            return v.empty() ? fallback : std::max(1, std::atoi(v.c_str()));
        };
        const int per_page = std::min(100, number("per_page", 10));
        const int page = number("page", 1);
        json matching = json::array();
        std::lock_guard lock(m_mutex);
        for (const auto& c : m_coupons) {
            const bool listed = code.empty() ? m_list_trash || !c.trashed : c.code == code && !c.trashed;
            if (listed) matching.push_back(json::parse(c.body));
        }
        const int total = static_cast<int>(matching.size());
        json out = json::array();
        for (int i = (page - 1) * per_page; i < std::min(total, page * per_page); ++i) out.push_back(matching[i]);
        res.status = 200;
        res.set_header("X-WP-Total", std::to_string(total));
        res.set_header("X-WP-TotalPages", std::to_string((total + per_page - 1) / per_page));
        res.set_content(out.dump(), "application/json; charset=UTF-8");
    }
    record(req, auth, res.status);
}

// GET /coupons/<id>: the coupon whatever its status; 404 as WC_REST_CRUD_Controller answers it.
void FakeWooCommerce::get_coupon(const httplib::Request& req, httplib::Response& res) {
    if (meet_outage(req, res)) return;
    std::string auth;
    if (authenticate(req, res, auth)) {
        const int id = std::atoi(req.matches[1].str().c_str());
        std::unique_lock lock(m_mutex);
        const auto it = std::find_if(m_coupons.begin(), m_coupons.end(), [&](const auto& c) { return c.id == id; });
        const std::string body = it == m_coupons.end() ? "" : it->body;
        lock.unlock();
        if (body.empty()) {
            send_wc_error(res, 404, "woocommerce_rest_shop_coupon_invalid_id", "Invalid ID.");
        } else {
            res.status = 200;
            res.set_content(body, "application/json; charset=UTF-8");
        }
    }
    record(req, auth, res.status);
}

// GET /products/<id>: the product document's fields rewardd reads (id, name, categories[]).
void FakeWooCommerce::get_product(const httplib::Request& req, httplib::Response& res) {
    if (meet_outage(req, res)) return;
    std::string auth;
    if (authenticate(req, res, auth)) {
        const int id = std::atoi(req.matches[1].str().c_str());
        std::unique_lock lock(m_mutex);
        const auto it = m_products.find(id);
        if (m_fail_product_reads > 0) {
            --m_fail_product_reads;
            const int status = m_product_fail_status;
            lock.unlock();
            send_wc_error(res, status, "internal_server_error", "There has been a critical error.");
        } else if (it == m_products.end()) {
            lock.unlock();
            send_wc_error(res, 404, "woocommerce_rest_product_invalid_id", "Invalid ID.");
        } else {
            json categories = json::array();
            int category_id = 15;
            for (const auto& slug : it->second) {
                categories.push_back({{"id", category_id++}, {"name", slug}, {"slug", slug}});
            }
            lock.unlock();
            res.status = 200;
            res.set_content(json{{"id", id}, {"name", "Product " + std::to_string(id)}, {"type", "simple"},
                                 {"categories", categories}}
                                .dump(),
                            "application/json; charset=UTF-8");
        }
    }
    record(req, auth, res.status);
}

bool FakeWooCommerce::delete_coupon(const std::string& code) {
    std::lock_guard lock(m_mutex);
    const auto it = std::find_if(m_coupons.begin(), m_coupons.end(), [&](const auto& c) { return c.code == lower(code); });
    if (it == m_coupons.end()) return false;
    m_coupons.erase(it);
    return true;
}

bool FakeWooCommerce::trash_coupon(const std::string& code) {
    std::lock_guard lock(m_mutex);
    for (auto& c : m_coupons) {
        if (c.trashed || c.code != lower(code)) continue;
        json doc = json::parse(c.body);
        doc["status"] = "trash";
        c.body = doc.dump();
        c.trashed = true;
        return true;
    }
    return false;
}

bool FakeWooCommerce::set_coupon_minimum(const std::string& code, const std::string& minimum_amount) {
    std::lock_guard lock(m_mutex);
    for (auto& c : m_coupons) {
        if (c.code != lower(code)) continue;
        json doc = json::parse(c.body);
        doc["minimum_amount"] = c.minimum_amount = minimum_amount;
        c.body = doc.dump();
        return true;
    }
    return false;
}

void FakeWooCommerce::list_trash_by_default(bool on) {
    std::lock_guard lock(m_mutex);
    m_list_trash = on;
}

bool FakeWooCommerce::use_coupon(const std::string& code, const std::string& email) {
    std::lock_guard lock(m_mutex);
    for (auto& c : m_coupons) {
        if (c.code != lower(code)) continue;
        json doc = json::parse(c.body);
        doc["usage_count"] = doc.value("usage_count", 0) + 1;
        if (!doc.contains("used_by")) doc["used_by"] = json::array();
        doc["used_by"].push_back(email);
        c.body = doc.dump();
        return true;
    }
    return false;
}

void FakeWooCommerce::rate_limit_next_lists(int n, int retry_after_s) {
    std::lock_guard lock(m_mutex);
    m_list_rate_limited = n;
    m_retry_after_s = retry_after_s;
}

// GET /orders/<id>/refunds/<refund_id>: the document given by add_refund.
void FakeWooCommerce::get_refund(const httplib::Request& req, httplib::Response& res) {
    if (meet_outage(req, res)) return;
    std::string auth;
    if (authenticate(req, res, auth)) {
        const std::pair<int, int> key{std::atoi(req.matches[1].str().c_str()), std::atoi(req.matches[2].str().c_str())};
        std::unique_lock lock(m_mutex);
        const auto it = m_refunds.find(key);
        if (m_fail_refund_reads > 0) {
            --m_fail_refund_reads;
            const int status = m_refund_fail_status;
            lock.unlock();
            send_wc_error(res, status, "internal_server_error", "There has been a critical error.");
        } else if (it == m_refunds.end()) {
            lock.unlock();
            send_wc_error(res, 404, "woocommerce_rest_shop_order_refund_invalid_id", "Invalid ID.");
        } else {
            const std::string document = it->second;
            lock.unlock();
            res.status = 200;
            res.set_content(document, "application/json; charset=UTF-8");
        }
    }
    record(req, auth, res.status);
}

}  // namespace rewardd::test
