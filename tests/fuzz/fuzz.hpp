#pragma once
// Shared by the libFuzzer targets of tests/fuzz (built with SENTINEL_FUZZ=ON,
// run by bench/fuzz.sh): a failed property aborts with a message, which
// libFuzzer reports as a crash and saves the input for.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#define FUZZ_CHECK(condition)                                                                         \
    do {                                                                                              \
        if (!(condition)) {                                                                           \
            std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition);      \
            std::abort();                                                                             \
        }                                                                                             \
    } while (0)

namespace sentinel::fuzz {

/// The input split at NUL bytes (an argv, or several strings).
inline std::vector<std::string> split_nul(const std::string& data) {
    std::vector<std::string> out(1);
    for (char c : data) {
        if (c == '\0') out.emplace_back();
        else out.back() += c;
    }
    return out;
}

}  // namespace sentinel::fuzz
