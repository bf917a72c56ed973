// FNV-1a over "shop\ncustomer", then the splitmix64 finaliser so close inputs spread apart.
#include "referral_code.hpp"

#include <cstdint>

namespace rewardd {
namespace {

constexpr char k_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford base32
constexpr int k_code_chars = 10;

std::uint64_t fnv1a(std::uint64_t hash, std::string_view text) {
    for (const unsigned char c : text) {
        hash ^= c;
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

}  // namespace

std::string referral_code(std::string_view shop_id, std::string_view customer_key) {
    // Shop ids never contain a newline, so the separator keeps ("a", "bc") apart from ("ab", "c").
    std::uint64_t hash = fnv1a(fnv1a(fnv1a(0xcbf29ce484222325ULL, shop_id), "\n"), customer_key);
    hash = mix(hash);
    std::string code = "R";
    for (int i = 0; i < k_code_chars; ++i) {
        code += k_alphabet[hash & 31U];
        hash >>= 5;
    }
    return code;
}

std::string normalise_referral_code(std::string_view code) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!code.empty() && is_space(code.front())) code.remove_prefix(1);
    while (!code.empty() && is_space(code.back())) code.remove_suffix(1);
    std::string out(code);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

}  // namespace rewardd
