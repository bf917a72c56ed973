// Customer identity helpers; pure string work.
#include "customer_key.hpp"

namespace rewardd {

std::string normalise_email(std::string_view email) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!email.empty() && is_space(email.front())) email.remove_prefix(1);
    while (!email.empty() && is_space(email.back())) email.remove_suffix(1);
    std::string out(email);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string customer_key(std::string_view shop_id, const CustomerRef& customer) {
    std::string email = normalise_email(customer.email);
    if (!email.empty()) return email;
    if (!customer.id.empty()) return "shop:" + std::string(shop_id) + ":customer:" + customer.id;
    return {};
}

std::string mask_email(std::string_view email) {
    const auto at = email.find('@');
    if (at == std::string_view::npos) return email.empty() ? "" : std::string(1, email[0]) + "***";
    if (at == 0) return "***" + std::string(email.substr(at));
    return std::string(1, email[0]) + "***" + std::string(email.substr(at));
}

}  // namespace rewardd
