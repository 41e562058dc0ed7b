#include "sentinel/core/config/display.hpp"

#include <doctest/doctest.h>

#include "tests/fake_fs.hpp"

using namespace sentinel;

namespace {

DisplaySettings parse(const std::string& text) {
    DisplaySettings s;
    apply_display_config(text, "c.toml", s);
    return s;
}

}  // namespace

TEST_CASE("[display] defaults: bottom line, tmux tint on, OSC tint off") {
    DisplaySettings s = parse("");
    CHECK(s.statusline == Placement::bottom);
    CHECK(s.tmux_tint);
    CHECK_FALSE(s.osc_tint);
    CHECK(s.errors.empty());
}

TEST_CASE("[display] keys") {
    DisplaySettings s = parse("[display]\nstatusline = \"top\"\ntmux_tint = false\nosc_tint = true\n");
    CHECK(s.statusline == Placement::top);
    CHECK_FALSE(s.tmux_tint);
    CHECK(s.osc_tint);
    CHECK(parse("[display]\nstatusline = \"off\"\n").statusline == Placement::off);
}

TEST_CASE("[display] errors carry file:line:col and keep the defaults") {
    DisplaySettings s = parse("[display]\nstatusline = \"left\"\nosc_tint = 1\ncolour = 3\n");
    CHECK(s.statusline == Placement::bottom);
    REQUIRE(s.errors.size() == 3);
    CHECK(s.errors[0] == "c.toml:4:1: unknown key \"colour\" in [display] (expected statusline, tmux_tint, osc_tint)");
    CHECK(s.errors[1] == "c.toml:3:12: osc_tint must be true or false");
    CHECK(s.errors[2] == "c.toml:2:14: statusline must be \"bottom\", \"top\" or \"off\"");
    CHECK(parse("display = 3\n").errors.size() == 1);
    CHECK(parse("[display\n").errors.empty());  // load_config reports bad TOML
}

TEST_CASE("load_display_settings: user file over system file") {
    test::FakeFs fs;
    fs.file("/etc/s.toml", "[display]\nstatusline = \"top\"\nosc_tint = true\n");
    fs.file("/home/u/.config/sentinel/config.toml", "[display]\nosc_tint = false\n");
    DisplaySettings s = load_display_settings({{"HOME", "/home/u"}, {"SENTINEL_SYSTEM_CONFIG", "/etc/s.toml"}}, fs);
    CHECK(s.statusline == Placement::top);
    CHECK_FALSE(s.osc_tint);
}

TEST_CASE("production_ranked and NO_COLOR") {
    Config config = build_config(std::nullopt, std::nullopt);
    CHECK(config.production_ranked(Tier("production")));
    CHECK(config.production_ranked(Tier("unknown")));
    CHECK_FALSE(config.production_ranked(Tier("staging")));
    CHECK_FALSE(config.production_ranked(Tier("none")));
    CHECK(no_color({{"NO_COLOR", "1"}}));
    CHECK_FALSE(no_color({{"NO_COLOR", ""}}));
    CHECK_FALSE(no_color({}));
}
