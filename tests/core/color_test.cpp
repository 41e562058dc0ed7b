#include "sentinel/core/color.hpp"

#include <doctest/doctest.h>

using namespace sentinel;

namespace {

Color parsed(const char* text) {
    auto c = Color::parse(text);
    REQUIRE(c);
    return *c;
}

}  // namespace

TEST_CASE("Color::parse: names, bright names, 0-255, #rrggbb, default") {
    CHECK(parsed("red").type() == Color::Type::ansi);
    CHECK(parsed("bright-cyan") == Color::ansi(14));
    CHECK(parsed("196").type() == Color::Type::indexed);
    CHECK(parsed("007") == parsed("7"));
    CHECK(parsed("#0A0b0C").type() == Color::Type::rgb);
    CHECK(parsed("default") == Color{});
    for (const char* bad : {"", "pink", "256", "1234", "#12345g", "#fff", "bright-", "Red", " red", "-1"}) {
        CAPTURE(bad);
        CHECK_FALSE(Color::parse(bad));
    }
}

TEST_CASE("Color::text gives back what parse reads") {
    for (const char* text : {"red", "bright-black", "white", "0", "208", "255", "#ff8000", "default"}) {
        CAPTURE(text);
        CHECK(parsed(text).text() == text);
        CHECK(parsed(parsed(text).text().c_str()) == parsed(text));
    }
    CHECK(parsed("#0A0b0C").text() == "#0a0b0c");
}

TEST_CASE("Color::sgr: ECMA-48 and T.416 parameters") {
    CHECK(parsed("red").sgr(false) == "31");
    CHECK(parsed("red").sgr(true) == "41");
    CHECK(parsed("black").sgr(false) == "30");
    CHECK(parsed("white").sgr(true) == "47");
    CHECK(parsed("bright-red").sgr(false) == "91");
    CHECK(parsed("bright-cyan").sgr(true) == "106");
    CHECK(parsed("196").sgr(false) == "38;5;196");
    CHECK(parsed("0").sgr(true) == "48;5;0");
    CHECK(parsed("255").sgr(false) == "38;5;255");
    CHECK(parsed("#ff8000").sgr(false) == "38;2;255;128;0");
    CHECK(parsed("#0A0b0C").sgr(true) == "48;2;10;11;12");
    CHECK(parsed("#ff0080").sgr(true) == "48;2;255;0;128");
    CHECK(Color{}.sgr(false) == "");
}

TEST_CASE("Color::palette: ANSI index, the index, nearest cube or grey entry") {
    CHECK(parsed("red").palette() == 1);
    CHECK(parsed("bright-red").palette() == 9);
    CHECK(parsed("white").palette() == 7);
    CHECK(parsed("196").palette() == 196);
    CHECK(parsed("#ff0000").palette() == 196);
    CHECK(parsed("#000000").palette() == 16);
    CHECK(parsed("#808080").palette() == 244);
    CHECK(Color{}.palette() == -1);
}

TEST_CASE("downgrade_to_8 and palette_rgb") {
    CHECK(downgrade_to_8(9) == 1);
    CHECK(downgrade_to_8(196) == 1);
    CHECK(downgrade_to_8(52) == 1);
    CHECK(downgrade_to_8(21) == 4);
    CHECK(downgrade_to_8(-1) == -1);
    CHECK(palette_rgb(1).r == 205);
    CHECK(palette_rgb(52).r == 95);
    CHECK(palette_rgb(52).g == 0);
    CHECK(palette_rgb(244).b == 128);
}
