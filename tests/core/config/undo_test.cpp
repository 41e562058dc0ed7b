#include <doctest/doctest.h>

#include "sentinel/core/config/config.hpp"

namespace sentinel {
namespace {

ConfigFile parsed(const std::string& text, bool system = false) {
    auto f = parse_config(text, system ? "sys.toml" : "c.toml", system);
    REQUIRE(f.ok());
    return f.value();
}

}  // namespace

TEST_CASE("undo config: defaults, values and errors") {
    Config none = build_config(std::nullopt, std::nullopt);
    CHECK_FALSE(none.undo.mode.has_value());
    CHECK(none.undo.max_bytes == 1073741824);
    CHECK(none.undo.keep_days == 30);
    CHECK(none.undo.preview_timeout_ms == 2000);
    Config c = build_config(std::nullopt, parsed("undo = \"best-effort\"\nundo_max_bytes = 1000\nundo_keep_days = 7\n"
                                                 "preview_timeout = 0.5\n"));
    CHECK(c.undo.mode == UndoMode::best_effort);
    CHECK(c.undo.max_bytes == 1000);
    CHECK(c.undo.keep_days == 7);
    CHECK(c.undo.preview_timeout_ms == 500);
    CHECK(c.undo.errors.empty());
    // A bad value is an error of the file, at the value, like any other
    // (issue 8): the file is ignored and the terminal is unknown.
    auto fails = [](const char* text) {
        auto r = parse_config(text, "c.toml", false);
        return r ? std::string("(parsed)") : r.error().to_string();
    };
    CHECK(fails("undo = \"maybe\"\n") == "c.toml:1:8: undo must be \"required\", \"best-effort\" or \"off\"");
    CHECK(fails("undo_keep_days = 0\n") == "c.toml:1:18: undo_keep_days must be a number of days from 1 to 36500");
    CHECK(fails("preview_timeout = -1\n") == "c.toml:1:19: preview_timeout must be seconds from 0 to 600");
    CHECK(fails("undo_max_bytes = \"1G\"\n") == "c.toml:1:18: undo_max_bytes must be a number of bytes (0 or more)");
}

TEST_CASE("undo config: required on production-ranked tiers by default; a user cannot weaken the system's") {
    Config config = build_config(std::nullopt, std::nullopt);
    CHECK(undo_mode_for(config.undo, config.production_ranked(Tier::production())) == UndoMode::required);
    CHECK(undo_mode_for(config.undo, config.production_ranked(Tier::unknown())) == UndoMode::required);
    CHECK(undo_mode_for(config.undo, config.production_ranked(Tier("staging"))) == UndoMode::best_effort);
    Config locked = build_config(parsed("undo = \"required\"\n", true), parsed("undo = \"off\"\n"));
    CHECK(locked.undo.mode == UndoMode::required);
    REQUIRE(locked.undo.errors.size() == 1);
    CHECK(locked.undo.errors[0] == "c.toml: undo = \"required\" is set by the system configuration; kept");
}

}  // namespace sentinel
