// Date parsing for --from, --to and --since.
#include "books/period.hpp"

namespace rewardd::books {

Result<Timestamp> parse_day(const std::string& text, Timestamp fallback, DayEdge edge) {
    if (text.empty()) return fallback;
    if (text.size() != 10) return parse_timestamp(text);
    auto t = parse_timestamp(text + "T00:00:00Z");
    if (!t) return t.error();
    return edge == DayEdge::end ? *t + k_seconds_per_day - 1 : *t;
}

}  // namespace rewardd::books
