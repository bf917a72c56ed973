// rewardd-http: the daemon's outgoing-HTTP helper (net/http_relay.hpp). Started by `rewardd serve`,
// never by hand: reads request frames from descriptor 3, sends each with libcurl and writes back
// the response frame, until the daemon closes the socket.
#include <cstdio>

#include "net/http_client.hpp"
#include "net/relay_frames.hpp"

int main(int argc, char**) {
    using namespace rewardd;
    if (argc != 1) {
        std::fputs("rewardd-http sends rewardd's outgoing HTTP requests; `rewardd serve` starts it\n", stderr);
        return 2;
    }
    std::string frame;
    while (read_frame(k_relay_helper_fd, frame) == FrameRead::ok) {
        HttpResponse response;
        if (auto relayed = decode_relay_request(frame)) {
            response = CurlHttpClient(relayed->options).send(relayed->request);
        } else {
            response.error = TransportError::other;
            response.error_message = "rewardd-http: unreadable request frame";
        }
        if (!write_frame(k_relay_helper_fd, encode_relay_response(response))) return 1;
    }
    return 0;
}
