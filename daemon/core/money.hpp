// Money as integer minor units with an ISO 4217 currency, exact decimal parsing, and the one
// function every rounding division goes through. No floating point anywhere in here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "result.hpp"

namespace rewardd {

struct Money {
    std::int64_t minor = 0;
    std::string currency;
    bool operator==(const Money&) const = default;
};

// Number of decimals of an ISO 4217 currency (JPY 0, EUR 2, KWD 3); nullopt when unknown.
std::optional<int> currency_exponent(std::string_view code);

// The rounding mode is recorded on every ledger entry that needed one.
enum class Rounding { floor, half_up };
const char* rounding_id(Rounding mode);
std::optional<Rounding> parse_rounding(std::string_view id);

// numerator / denominator rounded by `mode`; numerator >= 0, denominator > 0. Uses 128-bit
// intermediates so products of two int64 values cannot overflow.
std::int64_t divide_rounded(__int128 numerator, __int128 denominator, Rounding mode);

// value * multiplier / divisor, rounded by `mode` (all non-negative).
std::int64_t scale_rounded(std::int64_t value, std::int64_t multiplier, std::int64_t divisor,
                           Rounding mode);

// Parses a decimal string ("59.90", "500", "-20.00", "1.250") into minor units of a currency
// with `exponent` decimals. More decimals than the currency has is an error unless the extra
// digits are zeros ("25.000" for EUR is fine); the text is never passed through a double.
Result<std::int64_t> parse_decimal_minor(std::string_view text, int exponent);
// The same, but digits beyond the currency's are rounded half away from zero ("299.70" JPY is 300,
// "12.3449" USD is 1234) instead of refused, for a platform that formats amounts to the shop's own
// number of decimals rather than the currency's (WooCommerce: docs/woocommerce.md, *Amounts*).
Result<std::int64_t> parse_decimal_minor_rounded(std::string_view text, int exponent);

// The largest amount in minor units (either sign) parse_decimal_minor gives: INT64_MAX / 1000, so
// that milli-units and rates stay within 64 bits.
std::int64_t amount_max_minor();
// a + b and minor × count within ±amount_max_minor(); nullopt beyond (a payload's sums and line
// products, which would otherwise overflow).
std::optional<std::int64_t> add_amounts(std::int64_t a, std::int64_t b);
std::optional<std::int64_t> multiply_amount(std::int64_t minor, std::int64_t count);

// 39800 with exponent 2 -> "398.00".
std::string format_minor(std::int64_t minor, int exponent);

std::int64_t pow10(int exponent);

}  // namespace rewardd
