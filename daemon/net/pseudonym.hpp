// The stand-in for an erased customer's e-mail: random, unlinkable, and obviously not deliverable
// ("erased-<token>@erased.invalid"; .invalid is reserved by RFC 2606).
#pragma once

#include <string>

namespace rewardd {

std::string make_erasure_pseudonym();

}  // namespace rewardd
