// Reads the raw WooCommerce 7.9 captures (fixtures/woocommerce-7.9-real/webhooks/*.http): the
// request's headers and its body, byte for byte (CRLF-separated, no trailing newline).
#pragma once

#include <map>
#include <string>

#include "support/daemon_process.hpp"

namespace rewardd::test::woocommerce {

struct Capture {
    std::map<std::string, std::string> headers;
    std::string body;
};

inline std::string capture_path(const std::string& name) {
    return std::string(REWARDD_FIXTURES_DIR) + "/woocommerce-7.9-real/webhooks/" + name;
}

inline Capture read_capture(const std::string& name) {
    const std::string raw = read_file(capture_path(name));
    const auto split = raw.find("\r\n\r\n");
    Capture c;
    c.body = raw.substr(split + 4);
    std::size_t pos = raw.find("\r\n") + 2;  // past the request line
    while (pos < split) {
        const auto end = raw.find("\r\n", pos);
        const std::string line = raw.substr(pos, end - pos);
        const auto colon = line.find(':');
        c.headers[line.substr(0, colon)] = line.substr(colon + 2);
        pos = end + 2;
    }
    return c;
}

}  // namespace rewardd::test::woocommerce
