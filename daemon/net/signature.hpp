// HMAC-SHA256 signatures and constant-time comparison (OpenSSL). Webhooks from every platform
// are signed as base64(HMAC-SHA256(secret, raw body)).
#pragma once

#include <string>
#include <string_view>

namespace rewardd {

std::string hmac_sha256_base64(std::string_view key, std::string_view message);
std::string sha256_hex(std::string_view data);
std::string base64_encode(std::string_view bytes);

// Compares without leaking where the first difference is; unequal lengths are simply unequal.
bool constant_time_equal(std::string_view a, std::string_view b);

// True when `signature_b64` is the base64 HMAC of `body` under `secret`.
bool signature_matches(std::string_view secret, std::string_view body, std::string_view signature_b64);

// Random [A-Za-z0-9] text from the OS's CSPRNG, for secrets and tokens.
std::string random_token(std::size_t length);

}  // namespace rewardd
