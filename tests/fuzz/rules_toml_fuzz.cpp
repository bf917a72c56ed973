// The rules file (`rewardd rules set FILE`): any bytes are a rule book or an error naming the
// problem, and an accepted rule book written back out (`rules show`) reads back to the same text.
// The reader takes a path, so each input goes through one scratch file of this process.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "config/rules_file.hpp"
#include "fuzz_check.hpp"

namespace {

std::string write_scratch(const char* data, std::size_t size) {
    static const std::string path = "/tmp/rewardd-rules-fuzz-" + std::to_string(::getpid()) + ".toml";
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(data, static_cast<std::streamsize>(size));
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = write_scratch(reinterpret_cast<const char*>(data), size);
    auto file = rewardd::load_rules_file(path);
    if (!file) {
        FUZZ_CHECK(!file.error().message.empty());
        return 0;
    }
    const std::string text = rewardd::rules_file_text(file->rules);
    const std::string again_path = write_scratch(text.data(), text.size());
    auto again = rewardd::load_rules_file(again_path);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(rewardd::rules_file_text(again->rules) == text);
    return 0;
}
