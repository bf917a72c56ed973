// The report as JSON (stable keys, docs/report.md), as CSV rows (section,figure,currency,value)
// a spreadsheet or a bookkeeping import takes, and as text for people. No I/O beyond the stream.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>

#include "books/report.hpp"

namespace rewardd::books {

nlohmann::json report_json(const Report& report);
void write_report_csv(std::ostream& out, const Report& report);
void write_report_text(std::ostream& out, const Report& report);

}  // namespace rewardd::books
