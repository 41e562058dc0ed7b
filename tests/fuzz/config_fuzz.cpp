// A config file on any bytes: the screen, toml++ (its assertions are on in
// fuzz builds, and UBSan watches for TOML_UNREACHABLE) and sentinel's own
// checks. No crash; an error is positioned in the file.

#include <string>

#include "sentinel/core/config/config.hpp"
#include "sentinel/core/config/display.hpp"
#include "tests/fuzz/fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    bool system = size > 0 && (data[0] & 1);
    auto parsed = sentinel::parse_config(text, "/fuzz/config.toml", system);
    sentinel::DisplaySettings display;
    sentinel::apply_display_config(text, "/fuzz/config.toml", display);
    if (!parsed) {
        FUZZ_CHECK(parsed.error().to_string().rfind("/fuzz/config.toml", 0) == 0);
        return 0;
    }
    sentinel::Config config = system ? sentinel::build_config(*parsed, std::nullopt)
                                     : sentinel::build_config(std::nullopt, *parsed);
    FUZZ_CHECK(config.tier("unknown") != nullptr);
    FUZZ_CHECK(config.rules.size() <= sentinel::kMaxRules + 100);
    return 0;
}
