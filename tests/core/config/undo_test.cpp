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
    Config bad = build_config(std::nullopt, parsed("undo = \"maybe\"\nundo_keep_days = 0\npreview_timeout = -1\n"));
    REQUIRE(bad.undo.errors.size() == 3);
    // toml++ keeps keys sorted: preview_timeout, undo, undo_keep_days.
    CHECK(bad.undo.errors[1] == "c.toml:1:8: undo must be \"required\", \"best-effort\" or \"off\"");
    CHECK_FALSE(bad.undo.mode.has_value());  // a bad value keeps the default
    CHECK(bad.errors.empty());               // and is not an error of the file: the tier does not change
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
