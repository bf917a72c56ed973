// UTF-8 validation of request bodies: every body rewardd takes is JSON, which must be UTF-8
// (RFC 8259). Checking once at the door keeps invalid bytes out of stored events and logs.
#pragma once

#include <string_view>

namespace rewardd {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace rewardd
