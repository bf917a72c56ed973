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
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>

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

// A "date-time" argument as WordPress's rest_parse_date takes it, turned into GMT "YYYY-MM-DDTHH:MM:SS" (the
// site's time zone is UTC); nullopt when it is not one. A "+" sent unencoded in "+00:00" arrives as a space
// (PHP decodes the query so too) and is refused, as WordPress refuses it.
std::optional<std::string> gmt_date_time(const std::string& value) {
    static const std::regex form(R"((\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2}))"
                                 R"((?:\.\d+)?(Z|[+-]\d{2}(?::\d{2})?)?)");
    std::smatch m;
    if (!std::regex_match(value, m, form)) return std::nullopt;
    const auto field = [&](int i) { return std::atoi(m[i].str().c_str()); };
    if (field(2) < 1 || field(2) > 12 || field(3) < 1 || field(3) > 31 || field(4) > 23 || field(5) > 59 ||
        field(6) > 59) {
        return std::nullopt;
    }
    std::tm local{};
    local.tm_year = field(1) - 1900;
    local.tm_mon = field(2) - 1;
    local.tm_mday = field(3);  // February 30th is March 2nd, as strtotime has it
    local.tm_hour = field(4);
    local.tm_min = field(5);
    local.tm_sec = field(6);
    std::time_t at = timegm(&local);
    const std::string zone = m[7].str();
    if (zone.size() > 1) {
        const int minutes = std::atoi(zone.substr(1, 2).c_str()) * 60 +
                            (zone.size() > 3 ? std::atoi(zone.substr(4, 2).c_str()) : 0);
        at -= (zone[0] == '+' ? 60 : -60) * minutes;
    }
    std::tm gmt{};
    gmtime_r(&at, &gmt);
    char out[32];
    std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S", &gmt);
    return std::string(out);
}

// An "integer" argument (rest_is_integer: digits, maybe signed); nullopt otherwise.
std::optional<long long> integer_param(const std::string& value) {
    static const std::regex form(R"([+-]?\d{1,18})");
    if (!std::regex_match(value, form)) return std::nullopt;
    return std::atoll(value.c_str());
}

// wp_parse_list: split on commas and white space, empty items dropped.
std::vector<std::string> parse_list(const std::string& value) {
    std::vector<std::string> items;
    std::string item;
    for (const char c : value + ",") {
        if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
            if (!item.empty()) items.push_back(item);
            item.clear();
        } else {
            item += c;
        }
    }
    return items;
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
    // (its own route: cpp-httplib matches a whole path, so the refunds route above never takes it)
    m_server.Get("/wp-json/wc/v3/orders", [this](const httplib::Request& req, httplib::Response& res) {
        list_orders(req, res);
    });
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

void FakeWooCommerce::put_order(const std::string& order_json) {
    const json doc = json::parse(order_json);
    StoredOrder order;
    order.id = doc.at("id").get<int>();
    order.status = doc.value("status", "");
    order.modified_gmt = doc.at("date_modified_gmt").get<std::string>().substr(0, 19);  // any zone left out
    if (doc.contains("date_created_gmt") && doc["date_created_gmt"].is_string()) {
        order.created_gmt = doc["date_created_gmt"].get<std::string>().substr(0, 19);
    }
    order.body = order_json;
    std::lock_guard lock(m_mutex);
    m_orders[order.id] = std::move(order);
}

void FakeWooCommerce::rate_limit_next_order_lists(int n, int retry_after_s) {
    std::lock_guard lock(m_mutex);
    m_order_list_rate_limited = n;
    m_order_list_retry_after_s = retry_after_s;
}

void FakeWooCommerce::fail_next_order_lists(int n, int status) {
    std::lock_guard lock(m_mutex);
    m_fail_order_lists = n;
    m_order_list_fail_status = status;
}

std::vector<std::map<std::string, std::string>> FakeWooCommerce::order_list_queries() const {
    std::lock_guard lock(m_mutex);
    return m_order_list_queries;
}

void FakeWooCommerce::ignore_modified_after(bool on) {
    std::lock_guard lock(m_mutex);
    m_ignore_modified_after = on;
}

// GET /orders: the query is kept before anything else, so a test sees every listing asked for, the ones
// an outage, a rate limit or a refused signature met included.
void FakeWooCommerce::list_orders(const httplib::Request& req, httplib::Response& res) {
    std::map<std::string, std::string> query;
    for (const auto& [k, v] : req.params) {
        if (k.rfind("oauth_", 0) != 0) query[k] = v;  // (cpp-httplib keeps a repeated key's values in order)
    }
    {
        std::lock_guard lock(m_mutex);
        m_order_list_queries.push_back(query);
    }
    if (meet_outage(req, res)) return;
    std::string auth;
    {
        std::lock_guard lock(m_mutex);
        if (m_order_list_rate_limited > 0) {
            --m_order_list_rate_limited;
            res.set_header("Retry-After", std::to_string(m_order_list_retry_after_s));
            send_wc_error(res, 429, "rest_too_many_requests", "Too many requests.");
        }
    }
    if (res.status != 429 && authenticate(req, res, auth)) answer_order_list(query, res);
    record(req, auth, res.status);
}

// The listing as WC_REST_Orders_Controller answers it. WordPress first checks the arguments against their
// schema: every bad one is named in a single 400, in the order the controller declares them. The site's
// time zone is UTC, so modified_after means the same with dates_are_gmt (date_modified_gmt) and without
// (site-local date_modified). "date" orders by date_created_gmt; ties go by id in the same direction.
void FakeWooCommerce::answer_order_list(const std::map<std::string, std::string>& query, httplib::Response& res) {
    const auto value = [&](const std::string& name, const std::string& fallback) {
        const auto it = query.find(name);
        return it == query.end() ? fallback : it->second;
    };
    std::vector<std::string> invalid;
    const std::optional<long long> page = integer_param(value("page", "1"));
    if (!page || *page < 1) invalid.push_back("page");
    const std::optional<long long> per_page = integer_param(value("per_page", "10"));
    if (!per_page || *per_page < 1 || *per_page > 100) invalid.push_back("per_page");
    std::optional<std::string> after;
    if (query.count("modified_after") && !(after = gmt_date_time(query.at("modified_after")))) {
        invalid.push_back("modified_after");
    }
    const std::string gmt_flag = lower(value("dates_are_gmt", "false"));  // rest_is_boolean
    if (gmt_flag != "true" && gmt_flag != "false" && gmt_flag != "1" && gmt_flag != "0") {
        invalid.push_back("dates_are_gmt");
    }
    const std::string order = value("order", "desc");
    if (order != "asc" && order != "desc") invalid.push_back("order");
    const std::string orderby = value("orderby", "date");
    // (WooCommerce's enum also has include, title and slug, which the fake does not sort by)
    if (orderby != "date" && orderby != "id" && orderby != "modified") invalid.push_back("orderby");
    if (!invalid.empty()) {
        std::string names;
        for (const auto& name : invalid) names += (names.empty() ? "" : ", ") + name;
        send_wc_error(res, 400, "rest_invalid_param", "Invalid parameter(s): " + names);
        return;
    }
    const std::vector<std::string> statuses = parse_list(value("status", "any"));
    const bool any = statuses.empty() || std::find(statuses.begin(), statuses.end(), "any") != statuses.end();

    std::unique_lock lock(m_mutex);
    if (m_fail_order_lists > 0) {
        --m_fail_order_lists;
        const int status = m_order_list_fail_status;
        lock.unlock();
        send_wc_error(res, status, "internal_server_error", "There has been a critical error.");
        return;
    }
    std::vector<const StoredOrder*> matching;
    for (const auto& [id, o] : m_orders) {
        // "any" is WP_Query's: every status but those left out of searches (the trash)
        const bool status_listed = any ? o.status != "trash"
                                       : std::find(statuses.begin(), statuses.end(), o.status) != statuses.end();
        if (status_listed && (!after || m_ignore_modified_after || o.modified_gmt > *after)) matching.push_back(&o);
    }
    const auto sort_key = [&](const StoredOrder* o) {
        if (orderby == "id") return std::string();
        if (orderby == "modified") return o->modified_gmt;
        return o->created_gmt.empty() ? o->modified_gmt : o->created_gmt;
    };
    std::sort(matching.begin(), matching.end(), [&](const StoredOrder* a, const StoredOrder* b) {
        const auto ka = std::make_pair(sort_key(a), a->id);
        const auto kb = std::make_pair(sort_key(b), b->id);
        return order == "asc" ? ka < kb : kb < ka;
    });
    const long long total = static_cast<long long>(matching.size());
    // (a page past the last is an empty list, not an error)
    const long long first = *page - 1 < total ? (*page - 1) * *per_page : total;
    std::string body = "[";
    for (long long i = first; i < std::min(total, first + *per_page); ++i) {
        if (i > first) body += ",";
        body += matching[static_cast<std::size_t>(i)]->body;
    }
    body += "]";
    lock.unlock();
    res.status = 200;
    res.set_header("X-WP-Total", std::to_string(total));
    res.set_header("X-WP-TotalPages", std::to_string((total + *per_page - 1) / *per_page));
    res.set_content(body, "application/json; charset=UTF-8");
}

}  // namespace rewardd::test
