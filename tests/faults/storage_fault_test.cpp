// A full disk (a small tmpfs, filled up) and a database locked by another process: webhooks get
// 503 with a JSON error and Retry-After, nothing of them is written, and once the condition
// clears the daemon takes events again by itself (no restart).
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <fstream>

#include "faults/fault_support.hpp"

using namespace rewardd::test;
using namespace rewardd::test::shopify;

namespace {

void write_text(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
}

// A private mount namespace for this test process (and the daemon it starts), so the tmpfs
// vanishes with the process. As root directly; otherwise through a user namespace.
bool enter_private_mounts() {
    if (unshare(CLONE_NEWNS) != 0) {
        const uid_t uid = getuid();
        const gid_t gid = getgid();
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) return false;
        write_text("/proc/self/setgroups", "deny");
        write_text("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1");
        write_text("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
    }
    return mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0;
}

class SmallTmpfs {
public:
    SmallTmpfs(const std::string& dir, std::size_t bytes) : m_dir(dir) {
        m_mounted = enter_private_mounts() &&
                    mount("tmpfs", dir.c_str(), "tmpfs", 0, ("size=" + std::to_string(bytes)).c_str()) == 0;
    }
    ~SmallTmpfs() {
        if (m_mounted) umount2(m_dir.c_str(), MNT_DETACH);
    }
    bool mounted() const { return m_mounted; }

    // Writes a filler file until the file system is full.
    void fill(const std::string& path) {
        const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
        REQUIRE(fd >= 0);
        const std::string block(4096, 'x');
        while (::write(fd, block.data(), block.size()) > 0) {
        }
        ::close(fd);
    }

private:
    std::string m_dir;
    bool m_mounted = false;
};

int ready_status(const DaemonProcess& daemon) {
    auto res = daemon.client().Get("/readyz");
    return res ? res->status : 0;
}

// Posts the deliveries and checks each is refused with 503, a JSON storage error and Retry-After.
void expect_refused(const DaemonProcess& daemon, const std::vector<Delivery>& deliveries) {
    auto cli = keep_alive_client(daemon.port());
    for (const auto& d : deliveries) {
        auto res = post_delivery(cli, d);
        REQUIRE(res);
        CHECK(res->status == 503);
        CHECK(json::parse(res->body)["error"] == "storage_unavailable");
        CHECK(res->has_header("Retry-After"));
    }
}

bool all_taken(const DaemonProcess& daemon, const std::vector<Delivery>& deliveries) {
    auto cli = keep_alive_client(daemon.port());
    for (const auto& d : deliveries) {
        auto res = post_delivery(cli, d);
        if (!res || res->status != 200) return false;
    }
    return true;
}

}  // namespace

TEST_CASE("a full disk answers 503, writes nothing, and the daemon recovers when space frees up") {
    TempDir dir;
    SmallTmpfs tmpfs(dir.str(), 24 << 20);
    if (!tmpfs.mounted()) {
        MESSAGE("skipped: cannot mount a tmpfs here (needs root or user namespaces)");
        return;
    }
    const auto history = shopify_history(recorded_fixtures(), 40);
    const std::vector<Delivery> before(history.begin(), history.begin() + 20);
    const std::vector<Delivery> during(history.begin() + 20, history.end());
    add_shop(dir.str());
    DaemonProcess daemon(dir.str());
    REQUIRE(all_taken(daemon, before));
    wait_all_applied(dir.str());
    const std::string counts = table_counts(dir.str());

    tmpfs.fill(dir.str() + "/filler");
    expect_refused(daemon, during);
    CHECK(table_counts(dir.str()) == counts);
    CHECK(ready_status(daemon) == 503);

    std::filesystem::remove(dir.path() / "filler");
    REQUIRE(eventually([&] { return ready_status(daemon) == 200; }));
    REQUIRE(all_taken(daemon, during));
    wait_all_applied(dir.str());
    for (const auto& d : history) CHECK(stored_count(dir.str(), d) == 1);
    daemon.stop_gracefully();
    CHECK(daemon.last_exit_code() == 0);
}

TEST_CASE("a database locked by another process answers 503, writes nothing, and recovers on release") {
    TempDir dir;
    const std::string config = dir.str() + "/rewardd.toml";
    write_text(config, "database_busy_timeout_ms = 200\n");
    const auto history = shopify_history(recorded_fixtures(), 12);
    const std::vector<Delivery> before(history.begin(), history.begin() + 6);
    const std::vector<Delivery> during(history.begin() + 6, history.end());
    add_shop(dir.str());
    DaemonProcess daemon(dir.str(), {"--config", config});
    REQUIRE(all_taken(daemon, before));
    wait_all_applied(dir.str());
    const std::string counts = table_counts(dir.str());
    {
        SQLite::Database locker(dir.str() + "/rewardd.db", SQLite::OPEN_READWRITE, 10000);
        locker.exec("BEGIN EXCLUSIVE");
        expect_refused(daemon, during);
        CHECK(table_counts(dir.str()) == counts);
        CHECK(ready_status(daemon) == 503);
        locker.exec("ROLLBACK");
    }
    REQUIRE(eventually([&] { return ready_status(daemon) == 200; }));
    REQUIRE(all_taken(daemon, during));
    wait_all_applied(dir.str());
    for (const auto& d : history) CHECK(stored_count(dir.str(), d) == 1);
    daemon.stop_gracefully();
    CHECK(daemon.last_exit_code() == 0);
}
