// Test events carry the dates they were written on (November 2026), but the daemon judges pending
// periods by the real clock: 14 days later those orders' points were released as the test ran,
// and tests expecting them pending failed. as_recent() moves every YYYY-MM-DD in a text by one
// number of days, so that `anchor` becomes yesterday: an order posted now is recent, as a
// platform's would be, and times of day and the order of events are kept.
#pragma once

#include <chrono>
#include <cstdio>
#include <regex>
#include <string>

namespace rewardd::test {

inline std::string as_recent(const std::string& text, const std::string& anchor = "2026-11-22") {
    using namespace std::chrono;
    const auto day_of = [](const std::string& ymd) {
        return sys_days{year{std::stoi(ymd.substr(0, 4))} / month{static_cast<unsigned>(std::stoi(ymd.substr(5, 2)))} /
                        day{static_cast<unsigned>(std::stoi(ymd.substr(8, 2)))}};
    };
    const auto shift = floor<days>(system_clock::now()) - days{1} - day_of(anchor);
    static const std::regex date(R"((\d{4})-(\d{2})-(\d{2})(?!\d))");
    std::string out;
    auto last = text.cbegin();
    for (std::sregex_iterator it(text.begin(), text.end(), date), end; it != end; ++it) {
        out.append(last, (*it)[0].first);
        const year_month_day moved{day_of(it->str()) + shift};
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(moved.year()),
                      static_cast<unsigned>(moved.month()), static_cast<unsigned>(moved.day()));
        out += buffer;
        last = (*it)[0].second;
    }
    out.append(last, text.cend());
    return out;
}

}  // namespace rewardd::test
