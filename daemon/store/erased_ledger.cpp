// Pseudonym rewriting of ledger entries.
#include "erased_ledger.hpp"

#include "core/customer_key.hpp"

namespace rewardd {
namespace {

// A key starts at the text's start or after a ':'; inside an import id also after a '-'.
bool opens_segment(const std::string& text, std::size_t at) {
    if (at == 0 || text[at - 1] == ':') return true;
    const auto colon = text.rfind(':', at - 1);
    return opens_import_email(text, colon == std::string::npos ? 0 : colon + 1, at);
}
bool closes_segment(const std::string& text, std::size_t end) { return end == text.size() || text[end] == ':'; }

}  // namespace

bool opens_import_email(std::string_view text, std::size_t segment, std::size_t at) {
    return at > segment && text[at - 1] == '-' && text.substr(segment).starts_with("import-");
}

void replace_customer_segment(std::string& text, const std::string& customer, const std::string& alias) {
    if (customer.empty()) return;
    for (auto at = text.find(customer); at != std::string::npos;) {
        if (opens_segment(text, at) && closes_segment(text, at + customer.size())) {
            text.replace(at, customer.size(), alias);
            at = text.find(customer, at + alias.size());
        } else {
            at = text.find(customer, at + 1);
        }
    }
}

void show_names_under_alias(LedgerEntry& e, const std::string& customer, const std::string& alias) {
    replace_customer_segment(e.key, customer, alias);
    replace_customer_segment(e.refers_to, customer, alias);
    replace_customer_segment(e.event_id, customer, alias);
}

void show_referee_under_alias(LedgerEntry& e, const std::string& referee, const std::string& alias) {
    show_names_under_alias(e, referee, alias);
    if (referee.find('@') == std::string::npos) return;
    const std::string masked = mask_email(referee);
    if (const auto at = e.reason.find(masked); at != std::string::npos) e.reason.replace(at, masked.size(), mask_email(alias));
}

bool may_be_erasure_alias(std::string_view key) {
    return key.rfind("erased-", 0) == 0 || key.rfind("erased+", 0) == 0;
}

bool is_erasure_pseudonym(std::string_view email) {
    constexpr std::string_view k_domain = "@erased.invalid";
    return email.size() > k_domain.size() && email.substr(email.size() - k_domain.size()) == k_domain;
}

const char* customer_rows_sql(std::string_view customer) {
    return may_be_erasure_alias(customer)
               ? "(customer = ?1 OR customer IN (SELECT customer FROM erased_customers WHERE pseudonym = ?1))"
               : "customer = ?1";
}

void show_under_alias(LedgerEntry& e, const std::string& alias) {
    if (e.customer == alias) return;
    show_names_under_alias(e, e.customer, alias);
    e.customer = alias;
}

}  // namespace rewardd
