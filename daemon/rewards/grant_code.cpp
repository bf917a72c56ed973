// Deterministic codes: a hash, not a counter, so no table is needed to keep them unique per grant.
#include "grant_code.hpp"

#include <cctype>

#include "net/signature.hpp"

namespace rewardd {

std::string grant_coupon_code(std::string_view prefix, std::string_view grant_id) {
    const std::string hex = sha256_hex(grant_id);
    std::string code(prefix);
    for (std::size_t i = 0; i < 12; ++i) {
        if (i % 4 == 0) code += '-';
        code += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i])));
    }
    return code;
}

}  // namespace rewardd
