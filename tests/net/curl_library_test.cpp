// libcurl opened for outgoing requests and closed when they have been idle: requests still reach the
// fake shops after an unload, nothing is closed under a request in flight, the unloader thread
// closes it after its (here injected, short) delay, and concurrent requests survive forced unloads.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "fakes/fake_woocommerce.hpp"
#include "net/curl_library.hpp"
#include "net/http_client.hpp"
#include "outbox/woocommerce_rest.hpp"
#include "net/outgoing_http_support.hpp"
#include "support/daemon_process.hpp"

using namespace rewardd;
using rewardd::test::eventually;
using rewardd::test::libcurl_mapped;
using namespace std::chrono_literals;

namespace {

const std::string k_key = "ck_test_0123456789";
const std::string k_secret = "cs_test_0123456789";

WooCommerceRest rest_through(std::shared_ptr<HttpClient> http) {
    return WooCommerceRest(std::move(http), 5000, [] { return static_cast<Timestamp>(std::time(nullptr)); });
}

std::string coupon_body(const std::string& code) {
    return R"({"code":")" + code + R"(","amount":"5.00","discount_type":"fixed_cart","meta_data":[{"key":"rewardd_grant_id","value":")" +
           code + R"("}]})";
}

// A local server answering GET /ping with "pong": plain http, or https with a self-signed
// certificate made by the openssl command at test time (TLS goes through libcurl's OpenSSL too).
struct PingServer {
    std::unique_ptr<httplib::Server> server;
    std::string scheme = "http";
    std::thread thread;
    int port = 0;

    explicit PingServer(const test::TempDir* tls_dir = nullptr) {
        if (tls_dir) {
            const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " +
                                    tls_dir->str() + "/key.pem -out " + tls_dir->str() + "/cert.pem >/dev/null 2>&1";
            REQUIRE(std::system(cmd.c_str()) == 0);
            server = std::make_unique<httplib::SSLServer>((tls_dir->str() + "/cert.pem").c_str(),
                                                          (tls_dir->str() + "/key.pem").c_str());
            scheme = "https";
        } else {
            server = std::make_unique<httplib::Server>();
        }
        server->Get("/ping", [](const httplib::Request&, httplib::Response& res) { res.set_content("pong", "text/plain"); });
        port = server->bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { server->listen_after_bind(); });
        while (!server->is_running()) std::this_thread::sleep_for(5ms);
    }
    ~PingServer() {
        server->stop();
        thread.join();
    }
    HttpRequest ping() const {
        return HttpRequest{"GET", scheme + "://127.0.0.1:" + std::to_string(port) + "/ping", {}, "", {}, 5000};
    }
};

}  // namespace

TEST_CASE("an outgoing request after libcurl was closed for idleness opens it again and reaches the shop") {
    test::FakeWooCommerce fake(k_key, k_secret);
    const WooCommerceSite site{fake.url(), k_key, k_secret};
    auto rest = rest_through(std::make_shared<CurlHttpClient>());
    CurlLibrary& library = curl_library();
    CHECK_FALSE(library.loaded());  // nothing opened it yet
    CHECK_FALSE(libcurl_mapped());

    REQUIRE(rest.post_json(site, "coupons", coupon_body("rwd-first")).status == 201);
    CHECK(library.loaded());
    CHECK(libcurl_mapped());

    REQUIRE(library.unload_if_idle(0s));
    CHECK_FALSE(library.loaded());
    CHECK_FALSE(libcurl_mapped());  // really closed: dlclose unmapped it

    const HttpResponse listed = rest.get(site, "coupons", {{"code", "rwd-first"}});
    REQUIRE(listed.error == TransportError::none);
    CHECK(listed.status == 200);
    CHECK(listed.body.find("rwd-first") != std::string::npos);
    CHECK(library.loads() == 2);
    CHECK(library.unloads() == 1);
    CHECK(fake.coupons().size() == 1);
}

TEST_CASE("libcurl is not closed while a request is in flight, and is once it has ended") {
    test::FakeWooCommerce fake(k_key, k_secret);
    const WooCommerceSite site{fake.url(), k_key, k_secret};
    auto rest = rest_through(std::make_shared<CurlHttpClient>());
    CurlLibrary& library = curl_library();
    fake.hold_create_answers(30000);  // the coupon is created, the answer held until release()
    HttpResponse created;
    std::thread request([&] { created = rest.post_json(site, "coupons", coupon_body("rwd-held")); });
    REQUIRE(eventually([&] { return fake.coupons().size() == 1; }));  // the request is now waiting

    CHECK_FALSE(library.unload_if_idle(0s));
    CHECK(library.loaded());

    fake.release();
    request.join();
    CHECK(created.status == 201);
    CHECK(library.unload_if_idle(0s));
    CHECK_FALSE(library.loaded());
}

TEST_CASE("the unloader closes libcurl once requests have been idle for its delay, and the next request reopens it") {
    PingServer server;
    CurlLibrary library(1ms);  // the delay injected short; the daemon's is k_idle_unload_after
    CurlHttpClient client({}, library);

    CHECK(client.send(server.ping()).body == "pong");
    REQUIRE(library.wait_for_unloads(1, 60s));
    CHECK_FALSE(library.loaded());

    const HttpResponse again = client.send(server.ping());
    CHECK(again.error == TransportError::none);
    CHECK(again.body == "pong");
    CHECK(library.loads() == 2);
}

TEST_CASE("https requests work before and after libcurl was closed and reopened") {
    test::TempDir tls_dir;
    PingServer server(&tls_dir);
    CurlLibrary& library = curl_library();
    CurlHttpClient client({false});  // the certificate is self-signed
    const auto loads_before = library.loads();

    const HttpResponse first = client.send(server.ping());
    CHECK_MESSAGE(first.error == TransportError::none, first.error_message);
    CHECK(first.body == "pong");
    REQUIRE(library.unload_if_idle(0s));
    CHECK_FALSE(libcurl_mapped());

    const HttpResponse second = client.send(server.ping());
    CHECK_MESSAGE(second.error == TransportError::none, second.error_message);
    CHECK(second.body == "pong");
    CHECK(library.loads() == loads_before + 2);
}

TEST_CASE("a pinned lease keeps libcurl loaded for good and past the end of its library") {
    {
        CurlLibrary library(1h);
        {
            std::string error;
            CurlLease lease = library.acquire(error);
            REQUIRE_MESSAGE(lease.functions() != nullptr, error);
            lease.pin();
        }
        CHECK_FALSE(library.unload_if_idle(0s));
        CHECK(library.loaded());
    }
    CHECK(libcurl_mapped());
}

TEST_CASE("requests from several threads all succeed while unloads are forced between them") {
    PingServer server;
    CurlLibrary& library = curl_library();
    CurlHttpClient client;
    constexpr int k_threads = 4;
    constexpr int k_requests = 25;
    std::atomic<int> answered{0};
    std::atomic<int> running{k_threads};
    std::vector<std::thread> senders;
    for (int t = 0; t < k_threads; ++t) {
        senders.emplace_back([&] {
            for (int i = 0; i < k_requests; ++i) {
                if (client.send(server.ping()).body == "pong") ++answered;
            }
            --running;
        });
    }
    while (running > 0) {
        library.unload_if_idle(0s);  // closes it whenever no request holds it
        std::this_thread::yield();
    }
    for (auto& s : senders) s.join();

    CHECK(answered == k_threads * k_requests);
    CHECK(library.loads() == library.unloads() + (library.loaded() ? 1 : 0));
    const bool was_loaded = library.loaded();
    CHECK(library.unload_if_idle(0s) == was_loaded);
    CHECK_FALSE(library.loaded());
}
