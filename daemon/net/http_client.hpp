// Outgoing HTTP for platform APIs, behind an interface so adapters can be tested without a network.
// The libcurl implementation verifies TLS by default and always has a timeout. Transport failures
// (timeout, refused, TLS) are values, never exceptions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rewardd {

struct HttpRequest {
    std::string method = "GET";
    std::string url;                                          // absolute, query included
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::optional<std::pair<std::string, std::string>> basic_auth;  // user, password
    std::int64_t timeout_ms = 10000;
};

enum class TransportError { none, timeout, connect, tls, other };
const char* transport_error_id(TransportError error);

struct HttpResponse {
    TransportError error = TransportError::none;
    std::string error_message;                     // libcurl's words, when error != none
    int status = 0;
    std::map<std::string, std::string> headers;    // names lower-cased
    std::string body;

    std::string header(const std::string& lower_name) const;
};

class HttpClient {
public:
    virtual ~HttpClient() = default;
    virtual HttpResponse send(const HttpRequest& request) = 0;
};

struct CurlOptions {
    bool verify_tls = true;                 // off only for a test shop with a self-signed cert
    std::string user_agent = "rewardd/0.1";
    std::int64_t response_bytes_max = 4 << 20;
};

class CurlLibrary;

// Opens libcurl for each request through `library` (the process's own by default), which closes it
// again once outgoing HTTP has been idle for a while (net/curl_library.hpp). Thread-safe.
class CurlHttpClient final : public HttpClient {
public:
    explicit CurlHttpClient(CurlOptions options = {});
    CurlHttpClient(CurlOptions options, CurlLibrary& library);
    HttpResponse send(const HttpRequest& request) override;

private:
    CurlOptions m_options;
    CurlLibrary& m_library;
};

// RFC 3986 percent-encoding of everything but unreserved characters (PHP's rawurlencode).
std::string url_encode(const std::string& text);

}  // namespace rewardd
