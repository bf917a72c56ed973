// `serve` speaks HTTPS itself when tls_cert and tls_key are set (Shopify delivers to public HTTPS
// only). The certificate is self-signed, made by the openssl command at test time.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "support/daemon_process.hpp"

using namespace rewardd::test;

namespace {

bool make_self_signed(const TempDir& dir) {
    const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " +
                            dir.str() + "/key.pem -out " + dir.str() + "/cert.pem >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

}  // namespace

TEST_CASE("with tls_cert and tls_key the daemon answers over HTTPS and not over plain HTTP") {
    TempDir dir;
    REQUIRE(make_self_signed(dir));
    const std::string config = dir.str() + "/rewardd.conf";
    std::ofstream(config) << "data_dir = \"" << dir.str() << "\"\n"
                          << "tls_cert = \"" << dir.str() << "/cert.pem\"\n"
                          << "tls_key = \"" << dir.str() << "/key.pem\"\n";
    DaemonProcess daemon(dir.str(), {"--config", config}, Scheme::https);  // waits for /healthz over TLS
    auto tls = daemon.client();
    auto res = tls.Get("/healthz");
    REQUIRE(res);
    CHECK(res->status == 200);
    httplib::Client plain("127.0.0.1", daemon.port());
    plain.set_read_timeout(2, 0);
    auto refused = plain.Get("/healthz");
    CHECK((!refused || refused->status != 200));
}

TEST_CASE("a tls_cert without a tls_key is a config error naming the key") {
    TempDir dir;
    const std::string config = dir.str() + "/rewardd.conf";
    std::ofstream(config) << "tls_cert = \"/nonexistent/cert.pem\"\n";
    const auto r = run_rewardd({"serve", "--config", config, "--data", dir.str()});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("tls_cert and tls_key must be set together") != std::string::npos);
}

TEST_CASE("an unreadable certificate stops serve with a clear error") {
    TempDir dir;
    const std::string config = dir.str() + "/rewardd.conf";
    std::ofstream(config) << "tls_cert = \"" << dir.str() << "/missing.pem\"\ntls_key = \"" << dir.str()
                          << "/missing-key.pem\"\n";
    const auto r = run_rewardd({"serve", "--config", config, "--data", dir.str(), "--listen", "127.0.0.1:" +
                                std::to_string(free_port())});
    CHECK(r.exit_code != 0);
    CHECK((r.out + r.err).find("cannot load the TLS certificate") != std::string::npos);
}
