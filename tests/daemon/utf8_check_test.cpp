// The UTF-8 check that every POST body passes, against a byte-by-byte reading of the Unicode
// table, with each sequence at every offset (its word-at-a-time ASCII path has edges every 8 bytes).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "http/utf8_check.hpp"

namespace {

// The well-formed sequences of Unicode Table 3-7, one byte at a time.
bool reference_valid(const std::string& text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end) {
        const unsigned char c = *p;
        int length = 1;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c < 0x80) length = 1;
        else if (c >= 0xC2 && c <= 0xDF) length = 2;
        else if (c >= 0xE0 && c <= 0xEF) length = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        else if (c >= 0xF0 && c <= 0xF4) length = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        else return false;
        if (end - p < length) return false;
        if (length > 1 && (p[1] < lo || p[1] > hi)) return false;
        for (int i = 2; i < length; ++i) {
            if (p[i] < 0x80 || p[i] > 0xBF) return false;
        }
        p += length;
    }
    return true;
}

}  // namespace

TEST_CASE("the UTF-8 check agrees with the Unicode table for each sequence at every offset") {
    const std::vector<std::string> pieces{
        "\xC3\xA5",          "\xE2\x82\xAC",     "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF",  // valid
        "\xC3",              "\xE2\x82",         "\xF0\x9F\x98",                           // truncated
        "\xC0\xAF",          "\xE0\x80\xAF",     "\xED\xA0\x80",     "\xF4\x90\x80\x80",  // overlong, surrogate, too big
        "\x80",              "\xFF",             "\xC3\x41"};
    int valid = 0, invalid = 0;
    for (const auto& piece : pieces) {
        for (std::size_t before = 0; before <= 17; ++before) {
            for (std::size_t after = 0; after <= 9; ++after) {
                const std::string text = std::string(before, 'a') + piece + std::string(after, 'z');
                CAPTURE(before);
                CAPTURE(after);
                const bool expected = reference_valid(text);
                CHECK(rewardd::is_valid_utf8(text) == expected);
                (expected ? valid : invalid) += 1;
            }
        }
    }
    CHECK(valid > 0);
    CHECK(invalid > 0);
    CHECK(rewardd::is_valid_utf8(std::string(4096, 'x')));
    CHECK_FALSE(rewardd::is_valid_utf8(std::string(4095, 'x') + "\xFF"));
    CHECK(rewardd::is_valid_utf8(""));
}
