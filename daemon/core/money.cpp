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

// ISO 4217 list one (active codes, the funds codes, and ones withdrawn since 2016 that old orders
// carry), plus the codes WooCommerce offers beside them: GGP, IMP and JEP (the pound), RMB (the
// yuan), IRT (the Iranian toman, ten rials, priced in whole tomans), PRB (the Transnistrian ruble),
// and MRO and STD, the ouguiya's and the dobra's codes before 2018, which WooCommerce 7.9 still
// lists in their place. The units of account CLF and UYW (4 decimals) and BTC are left out: no shop
// prices in them. Any code missing here refuses the order (unknown_currency).
constexpr std::array<CurrencyScale, 178> k_currencies{{
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2},
    {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0},
    {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2},
    {"BYN", 2}, {"BYR", 0}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2}, {"CHW", 2},
    {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2}, {"CRC", 2}, {"CUC", 2}, {"CUP", 2}, {"CVE", 2},
    {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2},
    {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GGP", 2}, {"GHS", 2}, {"GIP", 2},
    {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HRK", 2}, {"HTG", 2},
    {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"IMP", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"IRT", 0},
    {"ISK", 0}, {"JEP", 2}, {"JMD", 2}, {"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2},
    {"KMF", 0}, {"KPW", 2}, {"KRW", 0}, {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2},
    {"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2},
    {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRO", 2}, {"MRU", 2}, {"MUR", 2}, {"MVR", 2}, {"MWK", 2},
    {"MXN", 2}, {"MXV", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2},
    {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2},
    {"PLN", 2}, {"PRB", 2}, {"PYG", 0}, {"QAR", 2}, {"RMB", 2}, {"RON", 2}, {"RSD", 2}, {"RUB", 2},
    {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2}, {"SHP", 2},
    {"SLE", 2}, {"SLL", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STD", 2}, {"STN", 2}, {"SVC", 2},
    {"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2},
    {"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2}, {"UYI", 0},
    {"UYU", 2}, {"UZS", 2}, {"VED", 2}, {"VEF", 2}, {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2},
    {"XAF", 0}, {"XCD", 2}, {"XCG", 2}, {"XOF", 0}, {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2},
    {"ZWG", 2}, {"ZWL", 2},
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

namespace {

Result<std::int64_t> parse_decimal(std::string_view text, int exponent, bool round_extra) {
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
    bool extra_digits = false;
    bool round_up = false;  // the first digit beyond the currency's is 5 or more
    if (i < text.size() && text[i] == '.') {
        ++i;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            if (frac_digits < exponent) {
                fraction = fraction * 10 + (text[i] - '0');
                ++frac_digits;
            } else if (round_extra) {
                if (!extra_digits) round_up = text[i] >= '5';
                extra_digits = true;
            } else if (text[i] != '0') {
                return invalid(ErrorCode::too_precise_amount, "more decimals than the currency has");
            }
        }
        if (frac_digits == 0 && int_digits == 0) return invalid(ErrorCode::invalid_field, "not a decimal amount");
    }
    if (i != text.size() || int_digits == 0) return invalid(ErrorCode::invalid_field, "not a decimal amount");
    const std::int64_t scale = pow10(exponent);
    if (units > k_max_minor / scale) return invalid(ErrorCode::amount_out_of_range, "amount too large");
    // The fraction can carry the units past the range by less than one unit; the rounding by one more.
    const std::int64_t minor = units * scale + fraction * pow10(exponent - frac_digits) + (round_up ? 1 : 0);
    if (minor > k_max_minor) return invalid(ErrorCode::amount_out_of_range, "amount too large");
    return negative ? -minor : minor;
}

}  // namespace

Result<std::int64_t> parse_decimal_minor(std::string_view text, int exponent) {
    return parse_decimal(text, exponent, false);
}

Result<std::int64_t> parse_decimal_minor_rounded(std::string_view text, int exponent) {
    return parse_decimal(text, exponent, true);
}

std::int64_t amount_max_minor() { return k_max_minor; }

namespace {

std::optional<std::int64_t> within_amount_range(__int128 value) {
    if (value > k_max_minor || value < -k_max_minor) return std::nullopt;
    return static_cast<std::int64_t>(value);
}

}  // namespace

std::optional<std::int64_t> add_amounts(std::int64_t a, std::int64_t b) {
    return within_amount_range(static_cast<__int128>(a) + b);
}

std::optional<std::int64_t> multiply_amount(std::int64_t minor, std::int64_t count) {
    return within_amount_range(static_cast<__int128>(minor) * count);
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
