// OAuth 1.0a "one-legged" request signing (HMAC-SHA1, no token), as WooCommerce requires for its
// REST API over plain http (INTEGRATION.md W3.1). Pure apart from the caller's timestamp and nonce.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rewardd {

using QueryParams = std::vector<std::pair<std::string, std::string>>;  // decoded key, value

// base64(HMAC-SHA1(consumer_secret + "&", METHOD&enc(base_url)&enc(sorted k=v joined by &))).
// `base_url` is scheme://host[:port]/path without the query; `params` are all query parameters
// (decoded), oauth_* included, oauth_signature excluded.
std::string oauth1_signature(const std::string& method, const std::string& base_url,
                             const QueryParams& params, const std::string& consumer_secret);

// `params` plus oauth_consumer_key, oauth_timestamp, oauth_nonce, oauth_signature_method and
// oauth_signature: the full query to send.
QueryParams oauth1_signed_query(const std::string& method, const std::string& base_url,
                                QueryParams params, const std::string& consumer_key,
                                const std::string& consumer_secret, long long timestamp,
                                const std::string& nonce);

// "a=1&b=x%20y": encodes a query string from decoded parameters.
std::string encode_query(const QueryParams& params);

}  // namespace rewardd
