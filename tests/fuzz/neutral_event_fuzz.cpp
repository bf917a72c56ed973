// The neutral event JSON of POST /api/v1/events: any bytes are an event or a clear error, and an
// accepted event written back out reads back to the same canonical text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/neutral/event_json.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    auto event = rewardd::parse_event_json(body, "fuzz");
    if (!event) {
        FUZZ_CHECK(!event.error().message.empty());
        return 0;
    }
    const std::string canonical = rewardd::event_to_json(*event);
    auto again = rewardd::parse_event_json(canonical, "fuzz");
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(rewardd::event_to_json(*again) == canonical);
    return 0;
}
