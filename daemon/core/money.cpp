// Exact money arithmetic. Parsing is digit by digit so "0.1" is exactly ten minor units.
#include "money.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace rewardd {
namespace {

struct CurrencyScale {
    std::string_view code;
    int exponent;
};

// ISO 4217 exponents that differ from 2, plus the common 2-decimal currencies we accept.
constexpr std::array<CurrencyScale, 66> k_currencies{{
    {"AED", 2}, {"ARS", 2}, {"AUD", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0}, {"BRL", 2},
    {"CAD", 2}, {"CHF", 2}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"CZK", 2}, {"DJF", 0},
    {"DKK", 2}, {"EGP", 2}, {"EUR", 2}, {"GBP", 2}, {"GNF", 0}, {"HKD", 2}, {"HUF", 2},
    {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"ISK", 0}, {"JOD", 3}, {"JPY", 0},
    {"KES", 2}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3}, {"MAD", 2}, {"MXN", 2},
    {"MYR", 2}, {"NGN", 2}, {"NOK", 2}, {"NZD", 2}, {"OMR", 3}, {"PEN", 2}, {"PHP", 2},
    {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2}, {"RWF", 0},
    {"SAR", 2}, {"SEK", 2}, {"SGD", 2}, {"THB", 2}, {"TND", 3}, {"TRY", 2}, {"TWD", 2},
    {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"UYI", 0}, {"VND", 0}, {"VUV", 0}, {"XAF", 0},
    {"XOF", 0}, {"XPF", 0}, {"ZAR", 2},
}};

static_assert(std::is_sorted(k_currencies.begin(), k_currencies.end(),
                             [](const CurrencyScale& a, const CurrencyScale& b) { return a.code < b.code; }),
              "currency_exponent searches the table by code");

constexpr std::int64_t k_max_minor = std::numeric_limits<std::int64_t>::max() / 1000;

}  // namespace

// Every walk asks for each earning's currency: a binary search of the sorted table.
std::optional<int> currency_exponent(std::string_view code) {
    const auto it = std::lower_bound(k_currencies.begin(), k_currencies.end(), code,
                                     [](const CurrencyScale& c, std::string_view v) { return c.code < v; });
    if (it != k_currencies.end() && it->code == code) return it->exponent;
    return std::nullopt;
}

const char* rounding_id(Rounding mode) {
    return mode == Rounding::floor ? "floor" : "half_up";
}

std::optional<Rounding> parse_rounding(std::string_view id) {
    if (id == "floor") return Rounding::floor;
    if (id == "half_up") return Rounding::half_up;
    return std::nullopt;
}

std::int64_t pow10(int exponent) {
    std::int64_t r = 1;
    for (int i = 0; i < exponent; ++i) r *= 10;
    return r;
}

std::int64_t divide_rounded(__int128 numerator, __int128 denominator, Rounding mode) {
    if (mode == Rounding::half_up) numerator += denominator / 2;
    return static_cast<std::int64_t>(numerator / denominator);
}

std::int64_t scale_rounded(std::int64_t value, std::int64_t multiplier, std::int64_t divisor,
                           Rounding mode) {
    return divide_rounded(static_cast<__int128>(value) * multiplier, divisor, mode);
}

Result<std::int64_t> parse_decimal_minor(std::string_view text, int exponent) {
    auto invalid = [&](ErrorCode code, const char* why) {
        return make_error(code, std::string(why) + ": \"" + std::string(text.substr(0, 40)) + "\"");
    };
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    std::int64_t units = 0;
    std::size_t int_digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++int_digits) {
        if (units > k_max_minor / 10) return invalid(ErrorCode::amount_out_of_range, "amount too large");
        units = units * 10 + (text[i] - '0');
    }
    std::int64_t fraction = 0;
    int frac_digits = 0;
    if (i < text.size() && text[i] == '.') {
        ++i;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            if (frac_digits < exponent) {
                fraction = fraction * 10 + (text[i] - '0');
                ++frac_digits;
            } else if (text[i] != '0') {
                return invalid(ErrorCode::too_precise_amount, "more decimals than the currency has");
            }
        }
        if (frac_digits == 0 && int_digits == 0) return invalid(ErrorCode::invalid_field, "not a decimal amount");
    }
    if (i != text.size() || int_digits == 0) return invalid(ErrorCode::invalid_field, "not a decimal amount");
    const std::int64_t scale = pow10(exponent);
    if (units > k_max_minor / scale) return invalid(ErrorCode::amount_out_of_range, "amount too large");
    std::int64_t minor = units * scale + fraction * pow10(exponent - frac_digits);
    return negative ? -minor : minor;
}

std::string format_minor(std::int64_t minor, int exponent) {
    const bool negative = minor < 0;
    std::string digits = std::to_string(negative ? -minor : minor);
    if (exponent > 0) {
        if (digits.size() <= static_cast<std::size_t>(exponent)) {
            digits.insert(0, static_cast<std::size_t>(exponent) + 1 - digits.size(), '0');
        }
        digits.insert(digits.size() - static_cast<std::size_t>(exponent), ".");
    }
    return negative ? "-" + digits : digits;
}

}  // namespace rewardd
