// libcurl easy interface, one handle per request (deliveries are few; simplicity wins). libcurl is
// opened for the request and closed when outgoing HTTP has been idle a while (curl_library.hpp).
#include "http_client.hpp"

#include <algorithm>
#include <cctype>

#include "curl_functions.hpp"
#include "curl_library.hpp"

namespace rewardd {
namespace {

struct Sink {
    std::string* body;
    std::int64_t max_bytes;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t n = size * count;
    if (static_cast<std::int64_t>(sink->body->size() + n) > sink->max_bytes) return 0;  // aborts
    sink->body->append(data, n);
    return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* headers = static_cast<std::map<std::string, std::string>*>(user);
    const std::size_t n = size * count;
    std::string line(data, n);
    const auto colon = line.find(':');
    if (colon == std::string::npos) return n;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    const auto first = value.find_first_not_of(" \t");
    const auto last = value.find_last_not_of(" \t\r\n");
    value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
    (*headers)[name] = value;
    return n;
}

TransportError classify(CURLcode code) {
    switch (code) {
        case CURLE_OPERATION_TIMEDOUT: return TransportError::timeout;
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING: return TransportError::connect;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM: return TransportError::tls;
        default: return TransportError::other;
    }
}

}  // namespace

const char* transport_error_id(TransportError error) {
    switch (error) {
        case TransportError::none: return "none";
        case TransportError::timeout: return "timeout";
        case TransportError::connect: return "connect";
        case TransportError::tls: return "tls";
        case TransportError::other: return "other";
    }
    return "other";
}

std::string HttpResponse::header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
}

CurlHttpClient::CurlHttpClient(CurlOptions options)
    : CurlHttpClient(std::move(options), curl_library()) {}

CurlHttpClient::CurlHttpClient(CurlOptions options, CurlLibrary& library)
    : m_options(std::move(options)), m_library(library) {}

HttpResponse CurlHttpClient::send(const HttpRequest& request) {
    HttpResponse response;
    CurlLease lease = m_library.acquire(response.error_message);
    if (!lease.functions()) {
        response.error = TransportError::other;
        return response;
    }
    const CurlFunctions& lib = *lease.functions();
    CURL* curl = lib.easy_init();
    if (!curl) {
        response.error = TransportError::other;
        response.error_message = "curl_easy_init failed";
        return response;
    }
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
        headers = lib.slist_append(headers, (name + ": " + value).c_str());
    }
    headers = lib.slist_append(headers, "Expect:");  // no 100-continue round trip
    Sink sink{&response.body, m_options.response_bytes_max};
    lib.easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    lib.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method == "POST" || request.method == "PUT" || !request.body.empty()) {
        lib.easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
        lib.easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    lib.easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    lib.easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms));
    lib.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<std::int64_t>(request.timeout_ms, 10000)));
    lib.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    lib.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    lib.easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, m_options.verify_tls ? 1L : 0L);
    lib.easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, m_options.verify_tls ? 2L : 0L);
    lib.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    lib.easy_setopt(curl, CURLOPT_USERAGENT, m_options.user_agent.c_str());
    lib.easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    lib.easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    lib.easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    lib.easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
    if (request.basic_auth) {
        lib.easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        lib.easy_setopt(curl, CURLOPT_USERNAME, request.basic_auth->first.c_str());
        lib.easy_setopt(curl, CURLOPT_PASSWORD, request.basic_auth->second.c_str());
    }
    const CURLcode code = lib.easy_perform(curl);
    if (code != CURLE_OK) {
        response.error = classify(code);
        response.error_message = lib.easy_strerror(code);
        curl_off_t resolved_after_us = 0;
        lib.easy_getinfo(curl, CURLINFO_NAMELOOKUP_TIME_T, &resolved_after_us);
        // Timed out while the host name was being resolved: the resolver thread outlives the handle.
        if (code == CURLE_OPERATION_TIMEDOUT && resolved_after_us == 0) lease.pin();
    } else {
        long status = 0;
        lib.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        response.status = static_cast<int>(status);
    }
    lib.slist_free_all(headers);
    lib.easy_cleanup(curl);
    return response;
}

std::string url_encode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

}  // namespace rewardd
