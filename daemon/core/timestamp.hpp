// Instants as whole seconds since the Unix epoch, UTC. The engine never reads a clock: callers
// pass the time in. Parsing and formatting RFC 3339 text is pure and lives here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "result.hpp"

namespace rewardd {

using Timestamp = std::int64_t;  // seconds since 1970-01-01T00:00:00Z

constexpr Timestamp k_seconds_per_day = 86400;

// Accepts "2026-11-22T10:00:00Z", "...+01:00", fractional seconds (dropped), and the offset-less
// "2026-11-22T10:12:08" that WooCommerce's *_gmt fields use (read as UTC).
Result<Timestamp> parse_timestamp(std::string_view text);

// "2026-11-22T10:00:00Z"
std::string format_timestamp(Timestamp t);

}  // namespace rewardd
