#include "sentinel/core/reach/rank.hpp"

#include <doctest/doctest.h>

using namespace sentinel;

TEST_CASE("more_dangerous: by rank; a known tier beats unknown on a tie; none loses") {
    Config c = build_config(std::nullopt, std::nullopt);
    auto md = [&](const char* a, const char* b) { return more_dangerous(c, Tier(a), Tier(b)).name(); };
    CHECK(md("local", "production") == "production");
    CHECK(md("staging", "development") == "staging");
    CHECK(md("unknown", "production") == "production");
    CHECK(md("production", "unknown") == "production");
    CHECK(md("unknown", "local") == "unknown");
    CHECK(md("none", "local") == "local");
    CHECK(md("local", "none") == "local");
    CHECK(md("local", "local") == "local");
    // A tier the config does not define ranks as production.
    CHECK(md("staging", "nonsuch") == "nonsuch");
}
