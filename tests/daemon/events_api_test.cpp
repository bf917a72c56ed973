// End to end: the real rewardd binary on a free loopback port with a temporary database, signed
// neutral events in over HTTP, `customer show --json` out.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support/daemon_process.hpp"
#include "support/recent_dates.hpp"

using namespace rewardd::test;
using nlohmann::json;

namespace {

const std::string k_secret = "demo-secret-0123456789";

std::string paid_event(const std::string& id, const std::string& order, std::int64_t total) {
    return as_recent(json{{"id", id}, {"type", "order.paid"}, {"occurred_at", "2026-11-22T10:00:00Z"},
                {"order", {{"id", order}, {"currency", "NOK"},
                           {"customer", {{"id", "77"}, {"email", "Kari@example.com"}}},
                           {"lines", {{{"id", "l1"}, {"product_id", "p1"}, {"quantity", 1}, {"total", total}}}},
                           {"discount", 0}, {"tax", 0}, {"shipping", 0}, {"total", total}}}}
                         .dump());  // paid yesterday: still pending by the real clock
}

httplib::Result post_event(const DaemonProcess& d, const std::string& body, const std::string& secret = k_secret,
                           const std::string& shop = "demo") {
    httplib::Headers h{{"X-Rewardd-Shop", shop}, {"X-Rewardd-Signature", sign(secret, body)}};
    return d.client().Post("/api/v1/events", h, body, "application/json");
}

json customer(const std::string& data, const std::string& who = "kari@example.com") {
    const auto r = run_rewardd({"customer", "show", who, "--json", "--data", data});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return json::parse(r.out);
}

// The ledger is applied a moment after the 200; wait for it (bounded).
json customer_when(const std::string& data, std::function<bool(const json&)> ready) {
    json last;
    for (int i = 0; i < 100; ++i) {
        const auto r = run_rewardd({"customer", "show", "kari@example.com", "--json", "--data", data});
        if (r.exit_code == 0) {
            last = json::parse(r.out);
            if (ready(last)) return last;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return last;
}

void add_shop(const std::string& data) {
    const auto r = run_rewardd({"shop", "add", "demo", "--platform", "custom", "--secret", k_secret, "--data", data});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

}  // namespace

TEST_CASE("a signed order.paid event shows as pending points in customer show") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    auto res = post_event(daemon, paid_event("evt-1", "1001", 39800));
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(json::parse(res->body)["status"] == "applied");
    const auto c = customer_when(dir.str(), [](const json& j) { return j["pending"] == 398; });
    CHECK(c["pending"] == 398);
    CHECK(c["available"] == 0);
    CHECK(c["lifetime_earned"] == 398);
    CHECK(c["lifetime_redeemed"] == 0);
    CHECK(c["customer"]["email"] == "kari@example.com");
    CHECK(c["tier"].is_string());
    CHECK(c["history"].size() == 1);
    CHECK(c["history"][0]["kind"] == "earn_pending");
}

TEST_CASE("a duplicate event is answered 200 and changes nothing") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    const auto body = paid_event("evt-1", "1001", 39800);
    REQUIRE(post_event(daemon, body)->status == 200);
    auto again = post_event(daemon, body);
    CHECK(again->status == 200);
    CHECK(json::parse(again->body)["status"] == "duplicate");
    const auto c = customer_when(dir.str(), [](const json& j) { return j["pending"] == 398; });
    CHECK(c["pending"] == 398);
    CHECK(c["history"].size() == 1);
}

TEST_CASE("bad signatures and unknown shops get 401 and store nothing") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    auto bad = post_event(daemon, paid_event("evt-1", "1001", 39800), "wrong-secret-0000000");
    CHECK(bad->status == 401);
    CHECK(json::parse(bad->body)["error"] == "signature_mismatch");
    auto unknown = post_event(daemon, paid_event("evt-2", "1002", 100), k_secret, "nope");
    CHECK(unknown->status == 401);
    CHECK(json::parse(unknown->body)["error"] == "unknown_shop");
    auto unsigned_req = daemon.client().Post("/api/v1/events", {{"X-Rewardd-Shop", "demo"}},
                                             paid_event("evt-3", "1003", 100), "application/json");
    CHECK(unsigned_req->status == 401);
    // The same event id signed correctly afterwards is new: nothing was stored before.
    auto good = post_event(daemon, paid_event("evt-1", "1001", 39800));
    CHECK(json::parse(good->body)["status"] == "applied");
}

TEST_CASE("a malformed or invalid event is 400 naming the field, and stores nothing") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    auto truncated = post_event(daemon, paid_event("evt-1", "1001", 100).substr(0, 50));
    CHECK(truncated->status == 400);
    CHECK(json::parse(truncated->body)["error"] == "malformed_json");
    auto body = json::parse(paid_event("evt-1", "1001", 100));
    body["order"]["lines"][0]["total"] = "1.00";
    auto wrong_type = post_event(daemon, body.dump());
    CHECK(wrong_type->status == 400);
    CHECK(json::parse(wrong_type->body)["field"] == "order.lines[0].total");
    body["order"]["lines"][0]["total"] = 100;
    body["order"]["currency"] = "ZZZ";
    auto bad_currency = post_event(daemon, body.dump());
    CHECK(json::parse(bad_currency->body)["field"] == "order.currency");
    // A shop's secret signs platform facts: it cannot hand anyone points directly.
    const json adjusted = {{"id", "evt-adj"}, {"type", "points.adjusted"}, {"occurred_at", "2026-11-20T10:00:00Z"},
                           {"customer", {{"email", "kari@example.com"}}},
                           {"adjustment", {{"points", 1000000}, {"reason", "free points"}}}};
    auto adjust = post_event(daemon, adjusted.dump());
    CHECK(adjust->status == 400);
    CHECK(json::parse(adjust->body)["field"] == "type");
    const auto r = run_rewardd({"customer", "show", "kari@example.com", "--json", "--data", dir.str()});
    CHECK(r.exit_code != 0);  // no such customer: nothing was written
    auto good = post_event(daemon, paid_event("evt-1", "1001", 100));
    CHECK(json::parse(good->body)["status"] == "applied");
}

TEST_CASE("a body over the size limit is refused with 413") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    const std::string huge(2 * 1024 * 1024, 'x');
    auto res = post_event(daemon, huge);
    REQUIRE(res);
    CHECK(res->status == 413);
}

TEST_CASE("a restart keeps every stored event and applies what was not yet applied") {
    TempDir dir;
    add_shop(dir.str());
    {
        DaemonProcess daemon(dir.str());
        for (int i = 0; i < 20; ++i) {
            REQUIRE(post_event(daemon, paid_event("evt-" + std::to_string(i), std::to_string(i), 1000))->status == 200);
        }
        daemon.kill_hard();  // no chance to finish anything after the answers
    }
    DaemonProcess again(dir.str());
    const auto c = customer_when(dir.str(), [](const json& j) { return j["pending"] == 200; });
    CHECK(c["pending"] == 200);
    auto dup = post_event(again, paid_event("evt-3", "3", 1000));
    CHECK(json::parse(dup->body)["status"] == "duplicate");
}

TEST_CASE("SIGTERM stops the daemon cleanly with exit status 0") {
    TempDir dir;
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    REQUIRE(post_event(daemon, paid_event("evt-1", "1", 1000))->status == 200);
    daemon.stop_gracefully();
    CHECK(daemon.last_exit_code() == 0);
    CHECK(customer(dir.str())["pending"] == 10);
}

TEST_CASE("health and readiness answer on their routes") {
    TempDir dir;
    DaemonProcess daemon(dir.str());
    CHECK(daemon.client().Get("/healthz")->status == 200);
    CHECK(daemon.client().Get("/readyz")->status == 200);
    CHECK(daemon.client().Get("/nope")->status == 404);
}
