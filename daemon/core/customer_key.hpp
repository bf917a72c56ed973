// How a customer is identified in the ledger: by normalised e-mail, so one person has one balance
// across shops; a customer without e-mail falls back to the shop's own customer id.
#pragma once

#include <string>
#include <string_view>

#include "event.hpp"

namespace rewardd {

// Trims ASCII white space and lower-cases ASCII letters.
std::string normalise_email(std::string_view email);

// "kari@example.com", or "shop:<shop>:customer:<id>" without an e-mail, or "" when the order
// carries neither (such an order cannot earn).
std::string customer_key(std::string_view shop_id, const CustomerRef& customer);

// "k***@example.com": for logs, which never carry a full e-mail.
std::string mask_email(std::string_view email);

}  // namespace rewardd
