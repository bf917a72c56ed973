// Pseudonym rewriting of ledger entries.
#include "erased_ledger.hpp"

namespace rewardd {
namespace {

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    if (from.empty()) return;
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

}  // namespace

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
    replace_all(e.key, e.customer, alias);
    replace_all(e.refers_to, e.customer, alias);
    e.customer = alias;
}

}  // namespace rewardd
