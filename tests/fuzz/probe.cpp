// Configure-time probe: can this clang build a libFuzzer target with the sanitizers we use?
#include <cstddef>
#include <cstdint>
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }
