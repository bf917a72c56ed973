// Guards the architecture: the engine includes only the standard library and its own headers,
// and holds no floating-point type anywhere (money and points are integers).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace fs = std::filesystem;

TEST_CASE("daemon/core includes no third-party header and uses no float or double") {
    const fs::path core = fs::path(REWARDD_SOURCE_DIR) / "daemon" / "core";
    const std::regex include_re(R"(^\s*#\s*include\s*<([^>]+)>)");
    const std::regex float_re(R"(\b(float|double|long double)\b)");
    int files = 0;
    for (const auto& entry : fs::directory_iterator(core)) {
        const auto ext = entry.path().extension();
        if (ext != ".cpp" && ext != ".hpp") continue;
        ++files;
        std::ifstream in(entry.path());
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            CAPTURE(entry.path().filename().string() + ":" + std::to_string(number));
            std::smatch m;
            if (std::regex_search(line, m, include_re)) {
                const std::string header = m[1];
                CHECK_MESSAGE(header.find('/') == std::string::npos, "third-party include <" << header << ">");
                CHECK_MESSAGE(header.find('.') == std::string::npos, "non-standard include <" << header << ">");
            }
            const auto code = line.substr(0, line.find("//"));
            CHECK_MESSAGE(!std::regex_search(code, float_re), "floating point in the engine: " << line);
        }
    }
    CHECK(files > 10);
}

// ctest learns the test names from doctest and keeps them in a CMake list, which splits at ';':
// a test whose name holds one is registered as two names that match nothing, and "passes" unrun.
TEST_CASE("no test case name holds a semicolon, so ctest runs every test") {
    const fs::path tests = fs::path(REWARDD_SOURCE_DIR) / "tests";
    const std::regex name_re(R"re(\bTEST_CASE\w*\(\s*"([^"]*)")re");
    int cases = 0;
    for (const auto& entry : fs::recursive_directory_iterator(tests)) {
        if (entry.path().extension() != ".cpp") continue;
        std::ifstream in(entry.path());
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            std::smatch m;
            if (!std::regex_search(line, m, name_re)) continue;
            ++cases;
            CHECK_MESSAGE(m[1].str().find(';') == std::string::npos,
                          entry.path().filename().string() << ":" << number << " " << m[1].str());
        }
    }
    CHECK(cases > 100);
}
