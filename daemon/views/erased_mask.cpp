// Each '@' is the middle of a candidate e-mail: its domain runs to the next separator, its local
// part starts after a separator or, in an import id, after a '-' (it joins source and e-mail),
// tried longest first, each looked up once: no scan of the text per erased customer.
#include "erased_mask.hpp"

#include <SQLiteCpp/Statement.h>

#include <string_view>

#include "store/erased_ledger.hpp"

namespace rewardd {
namespace {

bool is_boundary(char c) { return c == ':' || c == ' ' || c == ',' || c == ';' || c == '"' || c == '\'' || c == '\n'; }

}  // namespace

ErasedMask::ErasedMask(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT customer, pseudonym FROM erased_customers");
    while (q.executeStep()) {
        const std::string customer = q.getColumn(0).getString();
        if (customer.find('@') != std::string::npos) m_pseudonyms.emplace(customer, q.getColumn(1).getString());
    }
}

std::string ErasedMask::apply(std::string text) const {
    if (m_pseudonyms.empty()) return text;
    for (std::size_t at = text.find('@'); at != std::string::npos; at = text.find('@', at + 1)) {
        std::size_t end = at + 1;
        while (end < text.size() && !is_boundary(text[end])) ++end;
        std::size_t segment = at;
        while (segment > 0 && !is_boundary(text[segment - 1])) --segment;
        for (std::size_t start = segment; start < at; ++start) {
            if (start != segment && !opens_import_email(text, segment, start)) continue;
            const auto it = m_pseudonyms.find(text.substr(start, end - start));
            if (it == m_pseudonyms.end()) continue;
            text.replace(start, end - start, it->second);
            at = start + it->second.size() - 1;
            break;
        }
    }
    return text;
}

}  // namespace rewardd
