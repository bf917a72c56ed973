// Date parsing for --from, --to and --since.
#include "books/period.hpp"

#include <limits>

namespace rewardd::books {

Result<Timestamp> parse_day(const std::string& text, Timestamp fallback, DayEdge edge) {
    if (text.empty()) return fallback;
    if (text.size() != 10) return parse_timestamp(text);
    auto t = parse_timestamp(text + "T00:00:00Z");
    if (!t) return t.error();
    return edge == DayEdge::end ? *t + k_seconds_per_day - 1 : *t;
}

Result<Period> parse_period(const std::string& from, const std::string& to) {
    auto first = parse_day(from, 0, DayEdge::start);
    if (!first) return first.error();
    auto last = parse_day(to, std::numeric_limits<Timestamp>::max(), DayEdge::end);
    if (!last) return last.error();
    return Period{*first, *last};
}

}  // namespace rewardd::books
