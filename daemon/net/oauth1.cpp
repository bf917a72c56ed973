// The base string follows WooCommerce's check_oauth_signature(): parameters sorted by key, each
// key and value RFC 3986-encoded, joined with '=' and '&', and the whole list encoded once more.
#include "oauth1.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "net/http_client.hpp"
#include "net/signature.hpp"

namespace rewardd {

std::string oauth1_signature(const std::string& method, const std::string& base_url,
                             const QueryParams& params, const std::string& consumer_secret) {
    QueryParams sorted = params;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string joined;
    for (const auto& [k, v] : sorted) {
        if (k == "oauth_signature") continue;
        if (!joined.empty()) joined += '&';
        joined += url_encode(k) + "=" + url_encode(v);
    }
    const std::string base = method + "&" + url_encode(base_url) + "&" + url_encode(joined);
    const std::string key = consumer_secret + "&";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(base.data()), base.size(), digest, &length);
    return base64_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

QueryParams oauth1_signed_query(const std::string& method, const std::string& base_url, QueryParams params,
                                const std::string& consumer_key, const std::string& consumer_secret,
                                long long timestamp, const std::string& nonce) {
    params.emplace_back("oauth_consumer_key", consumer_key);
    params.emplace_back("oauth_nonce", nonce);
    params.emplace_back("oauth_signature_method", "HMAC-SHA1");
    params.emplace_back("oauth_timestamp", std::to_string(timestamp));
    const std::string signature = oauth1_signature(method, base_url, params, consumer_secret);
    params.emplace_back("oauth_signature", signature);
    return params;
}

std::string encode_query(const QueryParams& params) {
    std::string out;
    for (const auto& [k, v] : params) {
        if (!out.empty()) out += '&';
        out += url_encode(k) + "=" + url_encode(v);
    }
    return out;
}

}  // namespace rewardd
