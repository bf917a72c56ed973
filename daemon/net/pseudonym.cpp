#include "pseudonym.hpp"

#include "signature.hpp"

namespace rewardd {

std::string make_erasure_pseudonym() {
    std::string token = random_token(16);
    for (char& c : token) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');  // e-mail-like: lower case
    }
    return "erased-" + token + "@erased.invalid";
}

}  // namespace rewardd
