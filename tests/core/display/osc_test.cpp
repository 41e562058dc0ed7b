#include "sentinel/core/display/osc.hpp"

#include <doctest/doctest.h>

using namespace sentinel;

TEST_CASE("OSC 11 tint and OSC 111 restore, to the byte") {
    CHECK(osc_tint(1) == "\x1b]11;rgb:5f/00/00\x1b\\");
    CHECK(osc_tint(-1) == "");
    CHECK(osc_restore() == "\x1b]111\x1b\\");
}

TEST_CASE("OscTint: off by default writes nothing") {
    OscTint tint(false);
    CHECK(tint.update(true, 1) == "");
    CHECK(tint.release() == "");
}

TEST_CASE("OscTint: set on production, restore on leaving, nothing when unchanged") {
    OscTint tint(true);
    CHECK(tint.update(false, 4) == "");
    CHECK(tint.update(true, 1) == osc_tint(1));
    CHECK(tint.update(true, 1) == "");
    CHECK(tint.update(true, 5) == osc_tint(5));
    CHECK(tint.update(false, 2) == osc_restore());
    CHECK(tint.update(false, 2) == "");
    CHECK(tint.update(true, 1) == osc_tint(1));
    CHECK(tint.release() == osc_restore());
    CHECK(tint.release() == "");
}

TEST_CASE("OscTint: turning it off restores a tinted terminal") {
    OscTint tint(true);
    CHECK(tint.update(true, 1) == osc_tint(1));
    CHECK(tint.set_enabled(false) == osc_restore());
    CHECK(tint.update(true, 1) == "");
}
