// Dates on the bookkeeper's command lines: "2026-11-01" means that whole day (UTC), so `--from`
// takes its first second and `--to` its last; a full timestamp is taken as it is.
#pragma once

#include <string>

#include "core/result.hpp"
#include "core/timestamp.hpp"

namespace rewardd::books {

enum class DayEdge { start, end };

// `fallback` when `text` is empty.
Result<Timestamp> parse_day(const std::string& text, Timestamp fallback, DayEdge edge);

struct Period {
    Timestamp from = 0;
    Timestamp to = 0;
};
// `--from` (default: the beginning) and `--to` (default: the end of time), days taken whole.
Result<Period> parse_period(const std::string& from, const std::string& to);

}  // namespace rewardd::books
