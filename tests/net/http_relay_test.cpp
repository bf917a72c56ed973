// Outgoing HTTP through rewardd-http helper processes (net/http_relay.hpp): frames carry any bytes,
// requests reach real local servers and the fake WooCommerce unchanged, this process never maps
// libcurl, idle helpers exit and are reaped, and a helper that dies or hangs is a transport failure
// of its request only.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "fakes/fake_woocommerce.hpp"
#include "net/http_relay.hpp"
#include "net/relay_frames.hpp"
#include "outbox/woocommerce_rest.hpp"
#include "net/outgoing_http_support.hpp"
#include "support/daemon_process.hpp"

using namespace rewardd;
using rewardd::test::eventually;
using rewardd::test::libcurl_mapped;
using namespace std::chrono_literals;

namespace {

const std::string k_helper = REWARDD_HTTP_HELPER_PATH;
const std::string k_key = "ck_test_0123456789";
const std::string k_secret = "cs_test_0123456789";

// Gone for good: no such process, not even a zombie waiting to be reaped.
bool process_gone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

// Exited with every thread (a leader turns zombie while its other threads may still be closing
// their shared descriptors), not yet reaped.
bool exited_unreaped(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    bool zombie = false;
    bool one_thread = false;
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("State:", 0) == 0) zombie = line.find('Z') != std::string::npos;
        if (line.rfind("Threads:", 0) == 0) one_thread = std::stoi(line.substr(8)) == 1;
    }
    return zombie && one_thread;
}

// POST /echo answers 201 with the body it got, its Content-Type and a non-UTF-8 header; GET /slow
// answers after `slow_ms`.
struct EchoServer {
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::atomic<int> slow_ms{2000};

    EchoServer() {
        server.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
            res.status = 201;
            res.set_header("X-Seen-Type", req.get_header_value("Content-Type"));
            res.set_header("X-Raw", std::string("caf\xE9", 4));
            res.set_content(req.body, "application/octet-stream");
        });
        server.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
            std::this_thread::sleep_for(std::chrono::milliseconds(slow_ms.load()));
            res.set_content("late", "text/plain");
        });
        server.Get("/ping", [](const httplib::Request&, httplib::Response& res) { res.set_content("pong", "text/plain"); });
        port = server.bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { server.listen_after_bind(); });
        while (!server.is_running()) std::this_thread::sleep_for(5ms);
    }
    ~EchoServer() {
        server.stop();
        thread.join();
    }
    HttpRequest get(const std::string& path, std::int64_t timeout_ms = 5000) const {
        return HttpRequest{"GET", "http://127.0.0.1:" + std::to_string(port) + path, {}, "", {}, timeout_ms};
    }
};

const std::string k_binary_body("\x00\x01\xFF\xFE{\"a\":1}\x80\xC3", 13);

}  // namespace

TEST_CASE("relay frames carry any bytes and a torn or oversized frame is refused") {
    HttpRequest request{"PUT", "https://shop.test/wp-json/wc/v3/coupons?x=1", {{"Content-Type", "application/json"}, {"X-Bytes", "\xFF\xFE"}},
                        k_binary_body, std::make_pair(std::string("ck"), std::string("s\xE9")), 1234};
    const auto decoded = decode_relay_request(encode_relay_request(request, CurlOptions{false, "agent/1", 77}));
    REQUIRE(decoded);
    CHECK(decoded->request.method == "PUT");
    CHECK(decoded->request.url == request.url);
    CHECK(decoded->request.headers == request.headers);
    CHECK(decoded->request.body == k_binary_body);
    CHECK(decoded->request.basic_auth == request.basic_auth);
    CHECK(decoded->request.timeout_ms == 1234);
    CHECK_FALSE(decoded->options.verify_tls);
    CHECK(decoded->options.user_agent == "agent/1");
    CHECK(decoded->options.response_bytes_max == 77);

    HttpResponse response;
    response.error = TransportError::tls;
    response.error_message = "no";
    response.status = 0;
    response.headers = {{"x-raw", "caf\xE9"}};
    response.body = k_binary_body;
    const auto back = decode_relay_response(encode_relay_response(response));
    REQUIRE(back);
    CHECK(back->error == TransportError::tls);
    CHECK(back->error_message == "no");
    CHECK(back->headers == response.headers);
    CHECK(back->body == k_binary_body);

    CHECK_FALSE(decode_relay_response("not cbor"));
    CHECK_FALSE(decode_relay_request(encode_relay_response(response)));  // a response is no request

    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    std::string payload;
    CHECK(read_frame(fds[0], payload, std::chrono::steady_clock::now() + 50ms) == FrameRead::timed_out);
    REQUIRE(write_frame(fds[1], "hello"));
    CHECK(read_frame(fds[0], payload) == FrameRead::ok);
    CHECK(payload == "hello");
    const unsigned char huge[4] = {0x7F, 0xFF, 0xFF, 0xFF};
    REQUIRE(::write(fds[1], huge, 4) == 4);
    CHECK(read_frame(fds[0], payload) == FrameRead::corrupt);
    const unsigned char torn[6] = {0, 0, 0, 9, 'a', 'b'};
    REQUIRE(::write(fds[1], torn, 6) == 6);
    ::close(fds[1]);
    CHECK(read_frame(fds[0], payload) == FrameRead::closed);
    ::close(fds[0]);
}

TEST_CASE("a request through a helper reaches the server unchanged, and this process never maps libcurl") {
    EchoServer server;
    const bool mapped_before = libcurl_mapped();  // by an in-process test run in the same process
    auto relay = std::make_shared<HttpRelay>(k_helper);
    RelayHttpClient client(relay);
    HttpRequest post{"POST", "http://127.0.0.1:" + std::to_string(server.port) + "/echo",
                     {{"Content-Type", "application/x-test"}}, k_binary_body, {}, 5000};
    const HttpResponse answer = client.send(post);
    REQUIRE_MESSAGE(answer.error == TransportError::none, answer.error_message);
    CHECK(answer.status == 201);
    CHECK(answer.body == k_binary_body);
    CHECK(answer.header("x-seen-type") == "application/x-test");
    CHECK(answer.header("x-raw") == std::string("caf\xE9", 4));
    CHECK(relay->helpers() == 1);
    if (!mapped_before) CHECK_FALSE(libcurl_mapped());

    // The helper holds only its socket of this process's descriptors (and stdin, stdout, stderr).
    const pid_t helper = relay->helper_pids().at(0);
    std::set<std::string> fds;
    for (const auto& fd : std::filesystem::directory_iterator("/proc/" + std::to_string(helper) + "/fd")) {
        fds.insert(fd.path().filename().string());
    }
    CHECK(fds == std::set<std::string>{"0", "1", "2", "3"});
    CHECK(::getpgid(helper) == helper);  // its own process group: a Ctrl-C for the daemon is not for it

    // A second request reuses the idle helper.
    CHECK(client.send(server.get("/ping")).body == "pong");
    CHECK(relay->started() == 1);
}

TEST_CASE("coupons reach the fake WooCommerce through a helper, OAuth-signed as in-process") {
    test::FakeWooCommerce fake(k_key, k_secret);
    const WooCommerceSite site{fake.url(), k_key, k_secret};
    WooCommerceRest rest(std::make_shared<RelayHttpClient>(std::make_shared<HttpRelay>(k_helper)), 5000,
                         [] { return static_cast<Timestamp>(std::time(nullptr)); });
    const std::string body = R"({"code":"rwd-relay","amount":"5.00","discount_type":"fixed_cart","meta_data":[{"key":"rewardd_grant_id","value":"rwd-relay"}]})";
    const HttpResponse created = rest.post_json(site, "coupons", body);
    REQUIRE_MESSAGE(created.error == TransportError::none, created.error_message);
    CHECK(created.status == 201);
    REQUIRE(fake.coupons().size() == 1);
    CHECK(fake.coupons()[0].grant_id == "rwd-relay");
    CHECK(fake.requests().back().auth == "oauth");
    const HttpResponse listed = rest.get(site, "coupons", {{"code", "rwd-relay"}});
    CHECK(listed.status == 200);
    CHECK(listed.body.find("rwd-relay") != std::string::npos);
}

TEST_CASE("a helper idle for the relay's delay exits and is reaped, and the next request starts another") {
    EchoServer server;
    HttpRelay relay(k_helper, 200ms);  // the daemon's delay is k_idle_exit_after
    CHECK(relay.send(server.get("/ping"), {}).body == "pong");
    const pid_t first = relay.helper_pids().at(0);
    REQUIRE(relay.wait_for_helpers(0, 30s));
    CHECK(process_gone(first));  // exited and reaped, no zombie left behind

    CHECK(relay.send(server.get("/ping"), {}).body == "pong");
    CHECK(relay.started() == 2);
}

TEST_CASE("a helper killed during a request fails that request only, and the next one gets a new helper") {
    EchoServer server;
    HttpRelay relay(k_helper);
    HttpResponse cut;
    std::thread request([&] { cut = relay.send(server.get("/slow"), {}); });
    REQUIRE(eventually([&] { return relay.helpers() == 1; }));
    const pid_t helper = relay.helper_pids().at(0);
    std::this_thread::sleep_for(200ms);  // the request is with the server now
    ::kill(helper, SIGKILL);
    request.join();
    CHECK(cut.error == TransportError::other);
    CHECK(cut.error_message.find("exited during the request") != std::string::npos);
    CHECK(process_gone(helper));

    CHECK(relay.send(server.get("/ping"), {}).body == "pong");
    CHECK(relay.started() == 2);
    CHECK(relay.helpers() == 1);
}

TEST_CASE("a helper that died while idle is replaced before the request is sent, and the request succeeds") {
    EchoServer server;
    HttpRelay relay(k_helper);
    REQUIRE(relay.send(server.get("/ping"), {}).body == "pong");
    const pid_t helper = relay.helper_pids().at(0);
    ::kill(helper, SIGKILL);
    REQUIRE(eventually([&] { return exited_unreaped(helper); }));

    const HttpResponse answer = relay.send(server.get("/ping"), {});
    CHECK_MESSAGE(answer.error == TransportError::none, answer.error_message);
    CHECK(answer.body == "pong");
    CHECK(relay.started() == 2);
    CHECK(process_gone(helper));
}

TEST_CASE("a request's own timeout is kept by the helper's libcurl, and the helper serves on") {
    EchoServer server;
    HttpRelay relay(k_helper);
    const HttpResponse late = relay.send(server.get("/slow", 300), {});
    CHECK(late.error == TransportError::timeout);
    CHECK(relay.send(server.get("/ping"), {}).body == "pong");
    CHECK(relay.started() == 1);
}

TEST_CASE("requests from several threads each get a helper of their own and all succeed") {
    EchoServer server;
    HttpRelay relay(k_helper);
    constexpr int k_threads = 4;
    constexpr int k_requests = 20;
    std::atomic<int> answered{0};
    std::vector<std::thread> senders;
    for (int t = 0; t < k_threads; ++t) {
        senders.emplace_back([&] {
            for (int i = 0; i < k_requests; ++i) {
                if (relay.send(server.get("/ping"), {}).body == "pong") ++answered;
            }
        });
    }
    for (auto& sender : senders) sender.join();
    CHECK(answered == k_threads * k_requests);
    CHECK(relay.started() <= k_threads);
    CHECK(relay.helpers() == relay.started());
}

TEST_CASE("a missing helper is a transport failure naming the path, not a crash") {
    HttpRelay relay("/nonexistent/rewardd-http");
    const HttpResponse answer = relay.send(HttpRequest{"GET", "http://127.0.0.1:9/", {}, "", {}, 1000}, {});
    CHECK(answer.error == TransportError::other);
    CHECK(answer.error_message == "cannot start /nonexistent/rewardd-http: No such file or directory");
    CHECK(relay.helpers() == 0);
}
