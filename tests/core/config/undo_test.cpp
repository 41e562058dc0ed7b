#include <doctest/doctest.h>

#include "sentinel/core/config/undo.hpp"
#include "tests/fake_fs.hpp"

namespace sentinel {

TEST_CASE("undo config: defaults, values and errors") {
    UndoSettings s;
    CHECK_FALSE(s.mode.has_value());
    CHECK(s.max_bytes == 1073741824);
    CHECK(s.keep_days == 30);
    CHECK(s.preview_timeout_ms == 2000);
    apply_undo_config("undo = \"best-effort\"\nundo_max_bytes = 1000\nundo_keep_days = 7\npreview_timeout = 0.5\n",
                      "c.toml", s);
    CHECK(s.mode == UndoMode::best_effort);
    CHECK(s.max_bytes == 1000);
    CHECK(s.keep_days == 7);
    CHECK(s.preview_timeout_ms == 500);
    CHECK(s.errors.empty());
    apply_undo_config("undo = \"maybe\"\nundo_keep_days = 0\npreview_timeout = -1\n", "c.toml", s);
    REQUIRE(s.errors.size() == 3);
    CHECK(s.errors[0] == "c.toml:1:8: undo must be \"required\", \"best-effort\" or \"off\"");
    CHECK(s.mode == UndoMode::best_effort);  // a bad value keeps the last good one
}

TEST_CASE("undo config: required on production-ranked tiers by default; a user cannot weaken the system's") {
    Config config = build_config(std::nullopt, std::nullopt);
    UndoSettings s;
    CHECK(undo_mode_for(s, config, Tier::production()) == UndoMode::required);
    CHECK(undo_mode_for(s, config, Tier::unknown()) == UndoMode::required);
    CHECK(undo_mode_for(s, config, Tier("staging")) == UndoMode::best_effort);
    test::FakeFs fs;
    fs.file("/etc/s.toml", "undo = \"required\"\n").file("/home/u/.config/sentinel/config.toml", "undo = \"off\"\n");
    UndoSettings locked = load_undo_settings({{"SENTINEL_SYSTEM_CONFIG", "/etc/s.toml"}, {"HOME", "/home/u"}}, fs);
    CHECK(locked.mode == UndoMode::required);
    CHECK(locked.errors.size() == 1);
}

}  // namespace sentinel
