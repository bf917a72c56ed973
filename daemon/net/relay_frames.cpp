// Relay frames: CBOR through nlohmann, length-prefixed, over a blocking socket.
#include "relay_frames.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <nlohmann/json.hpp>

namespace rewardd {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

json bytes(const std::string& text) { return json::binary(std::vector<std::uint8_t>(text.begin(), text.end())); }

std::optional<std::string> bytes_of(const json& doc, const char* key) {
    const auto it = doc.find(key);
    if (it == doc.end() || !it->is_binary()) return std::nullopt;
    const auto& b = it->get_binary();
    return std::string(b.begin(), b.end());
}

std::string to_frame(const json& doc) {
    const std::vector<std::uint8_t> cbor = json::to_cbor(doc);
    return std::string(cbor.begin(), cbor.end());
}

json from_frame(const std::string& frame) {
    return json::from_cbor(frame.begin(), frame.end(), true, false);  // discarded when unreadable
}

// Waits until `fd` is readable; false when the deadline passes first.
bool wait_readable(int fd, const std::optional<Clock::time_point>& deadline) {
    for (;;) {
        int timeout_ms = -1;
        if (deadline) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
            if (left <= 0) return false;
            timeout_ms = static_cast<int>(std::min<long long>(left, 1 << 30));
        }
        pollfd p{fd, POLLIN, 0};
        const int n = ::poll(&p, 1, timeout_ms);
        if (n > 0) return true;
        if (n < 0 && errno != EINTR) return true;  // the read that follows reports the error
    }
}

// Exactly `size` bytes into `out`.
FrameRead read_exact(int fd, char* out, std::size_t size, const std::optional<Clock::time_point>& deadline) {
    std::size_t done = 0;
    while (done < size) {
        if (!wait_readable(fd, deadline)) return FrameRead::timed_out;
        const ssize_t n = ::recv(fd, out + done, size - done, 0);
        if (n == 0) return FrameRead::closed;
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return FrameRead::closed;
        }
        done += static_cast<std::size_t>(n);
    }
    return FrameRead::ok;
}

}  // namespace

std::string encode_relay_request(const HttpRequest& request, const CurlOptions& options) {
    json headers = json::array();
    for (const auto& [name, value] : request.headers) headers.push_back({name, value});
    json doc = {{"method", request.method},
                {"url", request.url},
                {"headers", std::move(headers)},
                {"body", bytes(request.body)},
                {"timeout_ms", request.timeout_ms},
                {"verify_tls", options.verify_tls},
                {"user_agent", options.user_agent},
                {"response_bytes_max", options.response_bytes_max}};
    if (request.basic_auth) doc["basic_auth"] = {request.basic_auth->first, request.basic_auth->second};
    return to_frame(doc);
}

std::optional<RelayRequest> decode_relay_request(const std::string& frame) {
    const json doc = from_frame(frame);
    if (!doc.is_object()) return std::nullopt;
    try {
        RelayRequest out;
        out.request.method = doc.at("method").get<std::string>();
        out.request.url = doc.at("url").get<std::string>();
        for (const auto& header : doc.at("headers")) {
            out.request.headers.emplace_back(header.at(0).get<std::string>(), header.at(1).get<std::string>());
        }
        const auto body = bytes_of(doc, "body");
        if (!body) return std::nullopt;
        out.request.body = *body;
        out.request.timeout_ms = doc.at("timeout_ms").get<std::int64_t>();
        if (doc.contains("basic_auth")) {
            out.request.basic_auth.emplace(doc["basic_auth"].at(0).get<std::string>(),
                                           doc["basic_auth"].at(1).get<std::string>());
        }
        out.options.verify_tls = doc.at("verify_tls").get<bool>();
        out.options.user_agent = doc.at("user_agent").get<std::string>();
        out.options.response_bytes_max = doc.at("response_bytes_max").get<std::int64_t>();
        return out;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

std::string encode_relay_response(const HttpResponse& response) {
    return to_frame({{"error", static_cast<int>(response.error)},
                     {"error_message", response.error_message},
                     {"status", response.status},
                     {"headers", response.headers},
                     {"body", bytes(response.body)}});
}

std::optional<HttpResponse> decode_relay_response(const std::string& frame) {
    const json doc = from_frame(frame);
    if (!doc.is_object()) return std::nullopt;
    try {
        HttpResponse out;
        const int error = doc.at("error").get<int>();
        if (error < static_cast<int>(TransportError::none) || error > static_cast<int>(TransportError::other)) {
            return std::nullopt;
        }
        out.error = static_cast<TransportError>(error);
        out.error_message = doc.at("error_message").get<std::string>();
        out.status = doc.at("status").get<int>();
        out.headers = doc.at("headers").get<std::map<std::string, std::string>>();
        const auto body = bytes_of(doc, "body");
        if (!body) return std::nullopt;
        out.body = *body;
        return out;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

bool write_frame(int fd, const std::string& payload) {
    const auto size = static_cast<std::uint32_t>(payload.size());
    std::string out;
    out.reserve(4 + payload.size());
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((size >> shift) & 0xFF);
    out += payload;
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::send(fd, out.data() + done, out.size() - done, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

FrameRead read_frame(int fd, std::string& payload, std::optional<Clock::time_point> deadline) {
    unsigned char prefix[4];
    if (const FrameRead r = read_exact(fd, reinterpret_cast<char*>(prefix), 4, deadline); r != FrameRead::ok) return r;
    const std::uint32_t size = (std::uint32_t{prefix[0]} << 24) | (std::uint32_t{prefix[1]} << 16) |
                               (std::uint32_t{prefix[2]} << 8) | std::uint32_t{prefix[3]};
    if (size > k_relay_frame_bytes_max) return FrameRead::corrupt;
    payload.assign(size, '\0');
    return read_exact(fd, payload.data(), size, deadline);
}

}  // namespace rewardd
