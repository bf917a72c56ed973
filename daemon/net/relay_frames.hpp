// What the daemon and rewardd-http, its outgoing-HTTP helper (net/http_relay.hpp), say to each other
// over their socket: one request frame, then one response frame. A frame is a CBOR document
// (nlohmann's) preceded by its length, 4 bytes big-endian. Bodies travel as CBOR byte strings, so
// any bytes pass unchanged.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "http_client.hpp"

namespace rewardd {

// Larger than any frame an honest peer sends (response bodies stop at CurlOptions'
// response_bytes_max, 4 MiB by default): a longer length prefix means the stream is corrupt.
constexpr std::uint32_t k_relay_frame_bytes_max = 64u << 20;

// The helper's end of the socket, in the helper (its stdin and stdout are /dev/null).
constexpr int k_relay_helper_fd = 3;

struct RelayRequest {
    HttpRequest request;
    CurlOptions options;
};

std::string encode_relay_request(const HttpRequest& request, const CurlOptions& options);
std::optional<RelayRequest> decode_relay_request(const std::string& frame);
std::string encode_relay_response(const HttpResponse& response);
std::optional<HttpResponse> decode_relay_response(const std::string& frame);

enum class FrameRead { ok, closed, timed_out, corrupt };

// The whole frame or false (the peer has gone). Never raises SIGPIPE: fd is a socket.
bool write_frame(int fd, const std::string& payload);
// One whole frame into `payload`; `deadline` bounds the wait (none: waits as long as it takes).
// `closed` is a clean end of stream before a frame began, or the peer gone in the middle of one.
FrameRead read_frame(int fd, std::string& payload,
                     std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

}  // namespace rewardd
