#include "sentinel/core/display/statusline.hpp"

#include <doctest/doctest.h>

#include "sentinel/core/sanitize.hpp"
#include "tests/builders.hpp"

using namespace sentinel;
using test::env;
using test::kube;

namespace {

Display display_of(const Snapshot& s) { return make_display(s); }

}  // namespace

TEST_CASE("layout: no target") {
    CHECK(layout_status_line(display_of(test::Snap()), 40, false).text() == "sentinel: no target");
}

TEST_CASE("layout: label block in the tier colour, details in its foreground") {
    Display c = display_of(test::Snap().add(kube("prod-eu").ns("payments")));
    StatusLine line = layout_status_line(c, 80, false);
    REQUIRE(line.segments.size() == 2);
    CHECK(line.segments[0].text == " PROD ");
    CHECK(line.segments[0].style == Style{.fg = 1, .bold = true, .reverse = true});
    CHECK(line.segments[1].text == " kube prod-eu/payments");
    CHECK(line.segments[1].style == Style{.fg = 1});
    CHECK(line.width == 28);
}

TEST_CASE("layout: NO_COLOR is reverse video without colours") {
    StatusLine line = layout_status_line(display_of(test::Snap().add(kube("prod-eu").ns("payments"))), 80, true);
    REQUIRE(line.segments.size() == 2);
    CHECK(line.segments[0].style == Style{.bold = true, .reverse = true});
    CHECK(line.segments[1].style == Style{});
}

TEST_CASE("layout: elided in the middle to the width, to the byte") {
    Display c = test::production_display();
    c.targets = {test::view(Kind::kube, "gke_project-1234_europe-west1_prod-cluster/payments")};
    StatusLine line = layout_status_line(c, 30, false);
    CHECK(line.width == 30);
    CHECK(line.text() == " PROD  kube gke_pr\u2026er/payments");
    CHECK(layout_status_line(c, 7, false).text() == " PROD ");
    CHECK(layout_status_line(c, 4, false).text() == " P\u2026 ");
    CHECK(layout_status_line(c, 0, false).segments.empty());
    for (std::size_t w = 0; w < 80; ++w) CHECK(layout_status_line(c, w, false).width <= w);
}

TEST_CASE("layout: hostile names stay text (BAD_INPUTS rows 3 and 6)") {
    Display c = display_of(test::Snap()
                               .add(kube("#(touch /tmp/canary)\x1b]0;title\x07\x1b[2J").ns("#{pane_title}\xc2\x9b" "31m"))
                               .add(env("APP_ENV", "#[fg=red]##")));
    std::string text = layout_status_line(c, 200, false).text();
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find('\x07') == std::string::npos);
    CHECK(text.find("\xc2\x9b") == std::string::npos);
    CHECK(text.find("kube #(touch /tmp/canary)\\e]0;title\\a\\e[2J/#{pane_title}\\u{009b}31m") != std::string::npos);
    CHECK(text.find("APP_ENV=#[fg=red]##") != std::string::npos);
    for (char ch : text) CHECK(static_cast<unsigned char>(ch) >= 0x20);
}
