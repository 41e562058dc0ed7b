#include "sentinel/core/display/tmux.hpp"

#include <doctest/doctest.h>

#include "tests/builders.hpp"

using namespace sentinel;
using test::view;

namespace {

Display prod() { return test::production_display(); }

std::string value_of(const std::vector<TmuxOption>& options, const std::string& name) {
    for (const TmuxOption& o : options)
        if (o.name == name) return o.unset ? "<unset>" : o.value;
    return "<absent>";
}

}  // namespace

TEST_CASE("tmux_escape doubles every # and nothing else (BAD_INPUTS row 6)") {
    CHECK(tmux_escape("#(touch /tmp/canary)") == "##(touch /tmp/canary)");
    CHECK(tmux_escape("#{pane_title}") == "##{pane_title}");
    CHECK(tmux_escape("#[fg=red]") == "##[fg=red]");
    CHECK(tmux_escape("##") == "####");
    CHECK(tmux_escape("prod-eu") == "prod-eu");
    CHECK(tmux_escape("") == "");
}

TEST_CASE("tmux colours and styles are built from numbers and fixed words") {
    CHECK(tmux_colour(1) == "colour1");
    CHECK(tmux_colour(196) == "colour196");
    CHECK(tmux_colour(-1) == "default");
    CHECK(tmux_style(Style{.fg = 1, .bold = true, .reverse = true}) == "fg=colour1,bold,reverse");
    CHECK(tmux_style(Style{.fg = 2, .bg = 52}) == "fg=colour2,bg=colour52");
    CHECK(tmux_style(Style{}) == "default");
    CHECK(tint_of(1) == 52);
    CHECK(tint_of(196) == 52);
    CHECK(tint_of(3) == 58);
    CHECK(tint_of(-1) == -1);
}

TEST_CASE("pane options for production: tier, label, text, colours, tint") {
    auto options = tmux_pane_options(prod(), TmuxSettings{});
    CHECK(options == std::vector<TmuxOption>{
                         {"@sentinel_tier", "production"},
                         {"@sentinel_label", "PROD"},
                         {"@sentinel_text", "kube prod-eu/payments"},
                         {"@sentinel_fg", "colour1"},
                         {"@sentinel_style", "fg=colour1,bold,reverse"},
                         {"window-style", "bg=colour52"},
                     });
}

TEST_CASE("pane options: no tint when not production, off, or NO_COLOR") {
    Display dev = prod();
    dev.tier = Tier("development");
    dev.label = "DEV";
    dev.color = Color::ansi(4);
    dev.dangerous = false;
    CHECK(value_of(tmux_pane_options(dev, {}), "window-style") == "<unset>");
    CHECK(value_of(tmux_pane_options(prod(), {.tint = false}), "window-style") == "<unset>");
    auto plain = tmux_pane_options(prod(), {.no_color = true});
    CHECK(value_of(plain, "window-style") == "<unset>");
    CHECK(value_of(plain, "@sentinel_fg") == "default");
    CHECK(value_of(plain, "@sentinel_style") == "bold,reverse");
}

TEST_CASE("pane options: hostile names are escaped, never styles (BAD_INPUTS rows 3 and 6)") {
    Display c = prod();
    c.label = "#[fg=red]##";
    c.targets = {view(Kind::kube, "#(touch /tmp/canary)/#{pane_title}"), view(Kind::env, "\\e]0;x\\a")};
    auto options = tmux_pane_options(c, {});
    CHECK(value_of(options, "@sentinel_label") == "##[fg=red]####");
    CHECK(value_of(options, "@sentinel_text") == "kube ##(touch /tmp/canary)/##{pane_title} \u00b7 \\e]0;x\\a");
    for (const TmuxOption& o : options)
        for (char ch : o.value) CHECK(static_cast<unsigned char>(ch) >= 0x20);
}

TEST_CASE("pane options: long text elided to max_width") {
    Display c = prod();
    c.targets = {view(Kind::env, std::string(500, 'x'))};
    CHECK(value_of(tmux_pane_options(c, {.max_width = 20}), "@sentinel_text") == std::string(10, 'x') + "\u2026" + std::string(9, 'x'));
}

TEST_CASE("tmux_argv_value: a trailing ; cannot end the command") {
    CHECK(tmux_argv_value("a;") == "a\\;");
    CHECK(tmux_argv_value(";") == "\\;");
    CHECK(tmux_argv_value("a;b") == "a;b");
    CHECK(tmux_argv_value("a\\;") == "a\\\\;");
    CHECK(tmux_argv_value("") == "");
}

TEST_CASE("tmux_quote: one literal word of the tmux command language") {
    CHECK(tmux_quote("prod") == "'prod'");
    CHECK(tmux_quote("it's") == "'it'\\''s'");
    CHECK(tmux_quote("#(touch x);$HOME ~ {a} \\") == "'#(touch x);$HOME ~ {a} \\'");
    CHECK(tmux_quote("") == "''");
}

TEST_CASE("tmux_set_commands: one command line per option") {
    CHECK(tmux_set_commands("%3", {{"@sentinel_tier", "production"}, {"window-style", "", true}}) ==
          "set-option -p -q -t '%3' '@sentinel_tier' 'production'\n"
          "set-option -p -q -u -t '%3' 'window-style'\n");
}
