// Golden tests of the bytes that reserve, paint and release the status line,
// built from the real terminfo database of this machine (ncurses-base and
// ncurses-term).

#include "sentinel/io/terminfo.hpp"

#include <doctest/doctest.h>

#include "tests/builders.hpp"

#include <algorithm>

using namespace sentinel;

namespace {

const ScreenSize k24x80{24, 80};

StatusLine prod_line() {
    Display c;
    c.tier = Tier("production");
    c.label = "PROD";
    c.color = Color::ansi(1);
    c.targets = {test::view(Kind::kube, "prod-eu/payments")};
    return layout_status_line(c, 79, false);
}

TermCaps caps(const std::string& term) {
    auto c = load_term_caps(term);
    REQUIRE_MESSAGE(c.ok(), term << ": " << (c.ok() ? "" : c.error().message));
    return c.value();
}

std::string error_of(const std::string& term) {
    auto c = load_term_caps(term);
    return c.ok() ? "" : c.error().message;
}

}  // namespace

TEST_CASE("xterm-256color: reserve, paint and release, to the byte") {
    TermCaps c = caps("xterm-256color");
    std::string paint = "\x1b" "7\x1b[24;1H"
                        "\x1b(B\x1b[m\x1b[1m\x1b[7m\x1b[31m PROD "
                        "\x1b(B\x1b[m\x1b[31m kube prod-eu/payments"
                        "\x1b(B\x1b[m\x1b[K\x1b" "8";
    CHECK(paint_bytes(c, prod_line(), Placement::bottom, k24x80) == paint);
    CHECK(reserve_bytes(c, prod_line(), Placement::bottom, k24x80) ==
          "\x1b" "7\x1b[1;24r\x1b" "8" "\x1b" "7\n\x1b" "8\x1b[1B\x1b[A" "\x1b" "7\x1b[1;23r\x1b" "8" + paint);
    CHECK(release_bytes(c, Placement::bottom, k24x80) ==
          "\x1b" "7\x1b[24;1H\x1b(B\x1b[m\x1b[K\x1b" "8" "\x1b" "7\x1b[1;24r\x1b" "8");
}

TEST_CASE("xterm-256color: the top line") {
    TermCaps c = caps("xterm-256color");
    std::string reserve = reserve_bytes(c, prod_line(), Placement::top, k24x80);
    CHECK(reserve.rfind("\x1b" "7\x1b[1;24r\x1b" "8" "\x1b" "7\x1bM\x1b" "8\x1b[1A\x1b[1B"
                        "\x1b" "7\x1b[2;24r\x1b" "8" "\x1b" "7\x1b[1;1H", 0) == 0);
    CHECK(release_bytes(c, Placement::top, k24x80) ==
          "\x1b" "7\x1b[1;1H\x1b(B\x1b[m\x1b[K\x1b" "8" "\x1b" "7\x1b[1;24r\x1b" "8");
}

TEST_CASE("screen-256color and tmux-256color: their own sgr0 and cuu1") {
    for (const char* term : {"screen-256color", "tmux-256color"}) {
        CAPTURE(term);
        TermCaps c = caps(term);
        std::string paint = "\x1b" "7\x1b[24;1H"
                            "\x1b[m\x0f\x1b[1m\x1b[7m\x1b[31m PROD "
                            "\x1b[m\x0f\x1b[31m kube prod-eu/payments"
                            "\x1b[m\x0f\x1b[K\x1b" "8";
        CHECK(paint_bytes(c, prod_line(), Placement::bottom, k24x80) == paint);
        CHECK(reserve_bytes(c, prod_line(), Placement::bottom, k24x80) ==
              "\x1b" "7\x1b[1;24r\x1b" "8" "\x1b" "7\n\x1b" "8\x1b[1B\x1b" "M" "\x1b" "7\x1b[1;23r\x1b" "8" + paint);
    }
}

TEST_CASE("linux: 8 colours, 256-colour tiers brought down") {
    TermCaps c = caps("linux");
    CHECK(c.colors == 8);
    Display content;
    content.label = "PROD";
    content.color = *Color::parse("196");
    content.targets = {test::view(Kind::env, "x")};
    std::string paint = paint_bytes(c, layout_status_line(content, 79, false), Placement::bottom, {25, 80});
    CHECK(paint == "\x1b" "7\x1b[25;1H"
                   "\x1b[m\x0f\x1b[1m\x1b[7m\x1b[31m PROD "
                   "\x1b[m\x0f\x1b[31m x"
                   "\x1b[m\x0f\x1b[K\x1b" "8");
}

TEST_CASE("xterm-256color: bright and 256 colours as setaf expands them") {
    TermCaps c = caps("xterm-256color");
    Display content;
    content.label = "P";
    content.color = Color::ansi(9);
    CHECK(paint_bytes(c, layout_status_line(content, 79, false), Placement::bottom, k24x80).find("\x1b[91m P ") !=
          std::string::npos);
    content.color = *Color::parse("196");
    CHECK(paint_bytes(c, layout_status_line(content, 79, false), Placement::bottom, k24x80).find("\x1b[38;5;196m P ") !=
          std::string::npos);
}

TEST_CASE("vt100: no colours, padding dropped, label in reverse video") {
    TermCaps c = caps("vt100");
    CHECK(c.colors == 0);
    std::string paint = "\x1b" "7\x1b[24;1H"
                        "\x1b[m\x0f\x1b[1m\x1b[7m PROD "
                        "\x1b[m\x0f kube prod-eu/payments"
                        "\x1b[m\x0f\x1b[K\x1b" "8";
    CHECK(paint_bytes(c, prod_line(), Placement::bottom, k24x80) == paint);
    CHECK(reserve_bytes(c, prod_line(), Placement::bottom, k24x80) ==
          "\x1b" "7\x1b[1;24r\x1b" "8" "\x1b" "7\n\x1b" "8\x1b[1B\x1b[A" "\x1b" "7\x1b[1;23r\x1b" "8" + paint);
    CHECK(paint.find("$<") == std::string::npos);
}

TEST_CASE("no line: dumb, unknown TERM, no TERM, no scroll region (BAD_INPUTS row 31)") {
    CHECK(error_of("dumb") == "no status line: TERM=dumb cannot address the cursor; the prompt segment still shows the target");
    CHECK(error_of("no-such-terminal-xyz").find("no terminfo entry for TERM=no-such-terminal-xyz") != std::string::npos);
    CHECK(error_of("").find("TERM is not set") != std::string::npos);
    CHECK(error_of("../../etc/passwd").find("not a terminal name") != std::string::npos);
    CHECK(error_of("vt52").find("no scroll region (csr)") != std::string::npos);
}

TEST_CASE("ReservedLine: one-time notice, nothing painted") {
    for (const char* term : {"dumb", "no-such-terminal-xyz", "vt52"}) {
        CAPTURE(term);
        ReservedLine line(term, Placement::bottom);
        CHECK_FALSE(line.usable());
        CHECK(line.take_notice().rfind("sentinel: no status line: ", 0) == 0);
        CHECK(line.take_notice() == "");
        Display c;
        c.label = "PROD";
        CHECK(line.at_prompt(c, k24x80, false) == "");
        CHECK(line.on_change(c, k24x80, false) == "");
        CHECK(line.release() == "");
    }
    ReservedLine off("xterm-256color", Placement::off);
    CHECK_FALSE(off.usable());
    CHECK(off.take_notice() == "");
}

TEST_CASE("ReservedLine: a 1x5 terminal gets no line") {
    ReservedLine line("xterm-256color", Placement::bottom);
    Display c;
    c.label = "PROD";
    CHECK(line.at_prompt(c, {1, 5}, false) == "");
    CHECK(line.take_notice() == "sentinel: no status line: the terminal is too small\n");
    CHECK(line.on_change(c, {1, 5}, false) == "");
    CHECK(can_reserve({3, 10}));
    CHECK_FALSE(can_reserve({2, 80}));
    CHECK_FALSE(can_reserve({24, 9}));
}

TEST_CASE("ReservedLine: prompt reserves, idle change repaints only what changed, exit releases once") {
    TermCaps c = caps("xterm-256color");
    ReservedLine line("xterm-256color", Placement::bottom);
    Display prod;
    prod.tier = Tier("production");
    prod.label = "PROD";
    prod.color = Color::ansi(1);
    prod.targets = {test::view(Kind::kube, "prod-eu/payments")};
    CHECK(line.on_change(prod, k24x80, false) == "");  // nothing reserved before the first prompt
    CHECK(line.at_prompt(prod, k24x80, false) == reserve_bytes(c, prod_line(), Placement::bottom, k24x80));
    CHECK(line.on_change(prod, k24x80, false) == "");
    Display dev = prod;
    dev.label = "DEV";
    dev.color = Color::ansi(4);
    dev.targets = {test::view(Kind::kube, "dev/default")};
    CHECK(line.on_change(dev, k24x80, false) ==
          paint_bytes(c, layout_status_line(dev, 79, false), Placement::bottom, k24x80));
    // Resized while idle: old row cleared, reserved again for the new size.
    std::string resized = line.on_change(dev, {30, 100}, false);
    CHECK(resized == release_bytes(c, Placement::bottom, k24x80) +
                         reserve_bytes(c, layout_status_line(dev, 99, false), Placement::bottom, {30, 100}));
    // The line editor redrew (zsh): reserved and painted again, unchanged or not.
    CHECK(line.at_redraw(dev, {30, 100}, false) ==
          reserve_bytes(c, layout_status_line(dev, 99, false), Placement::bottom, {30, 100}));
    CHECK(line.release() == release_bytes(c, Placement::bottom, {30, 100}));
    CHECK(line.release() == "");
}

TEST_CASE("hostile names reach the terminal only as visible text (BAD_INPUTS row 3)") {
    TermCaps c = caps("xterm-256color");
    Display benign, hostile;
    benign.label = hostile.label = "PROD";
    benign.color = hostile.color = Color::ansi(1);
    benign.targets = {test::view(Kind::kube, "x")};
    // What make_display() makes of "\e]0;title\a\e]52;c;AAAA\a\e[2J\x9b" "31m" "\x7f".
    hostile.targets = {test::view(Kind::kube, "\\e]0;title\\a\\e]52;c;AAAA\\a\\e[2J\\u{009b}31m\\x7f")};
    std::string a = paint_bytes(c, layout_status_line(benign, 79, false), Placement::bottom, k24x80);
    std::string b = paint_bytes(c, layout_status_line(hostile, 79, false), Placement::bottom, k24x80);
    CHECK(std::count(a.begin(), a.end(), '\x1b') == std::count(b.begin(), b.end(), '\x1b'));
    CHECK(b.find('\x07') == std::string::npos);
    CHECK(b.find("\xc2\x9b") == std::string::npos);
    CHECK(b.find('\x7f') == std::string::npos);
}

TEST_CASE("missing_capabilities: which of what the status line needs an entry lacks") {
    auto xterm = read_term_entry("xterm-256color");
    REQUIRE(xterm);
    CHECK(missing_capabilities(*xterm).empty());
    auto vt52 = read_term_entry("vt52");
    REQUIRE(vt52);
    CHECK(missing_capabilities(*vt52) == std::vector<std::string>{"csr", "sc", "rc"});
    CHECK(!read_term_entry("dumb"));
    CHECK(!read_term_entry("no-such-terminal-xyz"));
    TermCaps none;
    CHECK(missing_capabilities(none) == std::vector<std::string>{"csr", "sc", "rc", "cup", "el", "ind", "cuu1"});
}
