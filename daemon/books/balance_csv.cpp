// CSV reading for balance imports: header matching per source, values checked row by row.
#include <algorithm>
#include <cctype>
#include <map>

#include "books/balance_import.hpp"
#include "core/customer_key.hpp"

namespace rewardd::books {
namespace {

// One CSV record from `at`; advances `at` and `line` past it (quoted fields may span lines).
std::vector<std::string> read_record(std::string_view text, std::size_t& at, int& line, char delimiter) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (; at < text.size(); ++at) {
        const char c = text[at];
        if (quoted) {
            if (c == '"' && at + 1 < text.size() && text[at + 1] == '"') {
                fields.back() += '"';
                ++at;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n') ++line;
                fields.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == delimiter) {
            fields.emplace_back();
        } else if (c == '\n') {
            ++at;
            ++line;
            break;
        } else if (c != '\r') {
            fields.back() += c;
        }
    }
    return fields;
}

std::string header_name(std::string s) {
    s = normalise_email(s);  // trims and lower-cases
    std::replace(s.begin(), s.end(), ' ', '_');
    if (s.rfind("\xef\xbb\xbf", 0) == 0) s.erase(0, 3);  // a spreadsheet's byte order mark
    return s;
}

// Accepted header names, first match wins (docs/import.md).
const std::vector<std::string>& email_names() {
    static const std::vector<std::string> names{"email", "user_email", "customer_email", "e-mail"};
    return names;
}
const std::vector<std::string>& points_names(ImportSource source) {
    static const std::vector<std::string> smile{"points", "points_balance"};
    static const std::vector<std::string> yith{"points", "point", "points_balance"};
    static const std::vector<std::string> woo{"points_balance", "points"};
    return source == ImportSource::smile ? smile : source == ImportSource::yith ? yith : woo;
}

std::optional<std::size_t> column(const std::vector<std::string>& header, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        for (std::size_t i = 0; i < header.size(); ++i) {
            if (header_name(header[i]) == name) return i;
        }
    }
    return std::nullopt;
}

std::optional<std::int64_t> parse_points(const std::string& text) {
    std::string t = normalise_email(text);
    if (t.empty() || t.size() > 15) return std::nullopt;
    std::size_t i = t[0] == '-' ? 1 : 0;
    if (i == t.size()) return std::nullopt;
    for (std::size_t j = i; j < t.size(); ++j) {
        if (!std::isdigit(static_cast<unsigned char>(t[j]))) return std::nullopt;
    }
    return std::stoll(t);
}

bool plausible_email(const std::string& e) {
    const auto at = e.find('@');
    return at != std::string::npos && at > 0 && e.find('.', at) != std::string::npos && e.find(' ') == std::string::npos;
}

}  // namespace

ParsedBalances parse_balances(std::string_view text, ImportSource source) {
    ParsedBalances out;
    const auto first_line = text.substr(0, text.find('\n'));
    const char delimiter = first_line.find(',') == std::string_view::npos && first_line.find(';') != std::string_view::npos
                               ? ';' : ',';
    std::size_t at = 0;
    int line = 1;
    auto header = read_record(text, at, line, delimiter);
    auto email_at = column(header, email_names());
    auto points_at = column(header, points_names(source));
    if (source == ImportSource::yith && !email_at && header.size() >= 2 && parse_points(header[1])) {
        email_at = 0;  // a YITH-shaped file without its `email,points` header: e-mail first, points second
        points_at = 1;
        at = 0;
        line = 1;
    }
    if (source == ImportSource::yith && !email_at && !header.empty() && header_name(header[0]) == "id") {
        out.bad.push_back({1, "this is YITH's \"User ID and related points\" export, which has no e-mail: "
                              "export \"Email and related points\" instead"});
        return out;
    }
    if (!email_at || !points_at) {
        out.bad.push_back({1, std::string("header must name the ") + (email_at ? "points" : "e-mail") +
                                  " column (see docs/import.md)"});
        return out;
    }
    std::map<std::string, int> seen;
    while (at < text.size()) {
        const int row_line = line;
        const auto fields = read_record(text, at, line, delimiter);
        if (fields.size() == 1 && normalise_email(fields[0]).empty()) continue;  // blank line
        if (std::max(*email_at, *points_at) >= fields.size()) {
            out.bad.push_back({row_line, "too few columns"});
            continue;
        }
        const std::string email = normalise_email(fields[*email_at]);
        const auto points = parse_points(fields[*points_at]);
        if (!plausible_email(email)) {
            out.bad.push_back({row_line, "not an e-mail address: '" + fields[*email_at] + "'"});
        } else if (!points || *points < 0) {
            out.bad.push_back({row_line, "points must be a whole number of zero or more: '" + fields[*points_at] + "'"});
        } else if (const auto [it, fresh] = seen.emplace(email, row_line); !fresh) {
            out.bad.push_back({row_line, "the same customer as line " + std::to_string(it->second)});
        } else {
            out.rows.push_back({row_line, email, *points});
        }
    }
    return out;
}

}  // namespace rewardd::books
