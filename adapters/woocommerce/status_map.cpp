// Status table and its parser.
#include "status_map.hpp"

#include <array>
#include <utility>

namespace rewardd::woocommerce {
namespace {

constexpr std::array<std::pair<const char*, StatusMeaning>, 6> k_meanings{{
    {"ignore", StatusMeaning::ignore},
    {"placed", StatusMeaning::placed},
    {"paid", StatusMeaning::paid},
    {"completed", StatusMeaning::completed},
    {"cancelled", StatusMeaning::cancelled},
    {"full_refund", StatusMeaning::full_refund},
}};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<StatusMeaning> parse_status_meaning(std::string_view id) {
    for (const auto& [name, meaning] : k_meanings) {
        if (id == name) return meaning;
    }
    return std::nullopt;
}

const char* status_meaning_id(StatusMeaning meaning) {
    for (const auto& [name, m] : k_meanings) {
        if (m == meaning) return name;
    }
    return "placed";
}

StatusMap::StatusMap()
    : m_meanings{{"checkout-draft", StatusMeaning::ignore}, {"auto-draft", StatusMeaning::ignore},
                 {"draft", StatusMeaning::ignore},          {"pending", StatusMeaning::placed},
                 {"on-hold", StatusMeaning::placed},        {"processing", StatusMeaning::paid},
                 {"completed", StatusMeaning::completed},   {"cancelled", StatusMeaning::cancelled},
                 {"failed", StatusMeaning::cancelled},      {"refunded", StatusMeaning::full_refund}} {}

Result<StatusMap> StatusMap::parse(std::string_view text) {
    StatusMap map;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const std::string_view pair = trim(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        const auto meaning = eq == std::string_view::npos ? std::nullopt : parse_status_meaning(trim(pair.substr(eq + 1)));
        std::string status(trim(pair.substr(0, eq == std::string_view::npos ? pair.size() : eq)));
        if (status.rfind("wc-", 0) == 0) status.erase(0, 3);
        if (!meaning || status.empty()) {
            return make_error(ErrorCode::invalid_field,
                              "status_map: \"" + std::string(pair) +
                                  "\" must be STATUS=ignore|placed|paid|completed|cancelled|full_refund",
                              "status_map");
        }
        map.m_meanings[status] = *meaning;
    }
    return map;
}

StatusMeaning StatusMap::meaning(const std::string& status) const {
    const auto it = m_meanings.find(status);
    return it == m_meanings.end() ? StatusMeaning::placed : it->second;
}

}  // namespace rewardd::woocommerce
