#include "sentinel/io/versions.hpp"

#include <doctest/doctest.h>

using namespace sentinel;

TEST_CASE("versions: PQlibVersion numbers as PostgreSQL writes them") {
    CHECK(libpq_version_text(150020) == "15.20");
    CHECK(libpq_version_text(100001) == "10.1");
    CHECK(libpq_version_text(90624) == "9.6.24");
    CHECK(libpq_version_text(0) == "");
}

TEST_CASE("versions: every library, in order, each with where its version comes from") {
    auto libs = library_versions();
    REQUIRE(libs.size() == 5);
    CHECK(libs[0].name == "libpq");
    CHECK(libs[0].source.find("built with the headers of libpq ") != std::string::npos);
    CHECK(libs[1].name == "libfyaml");
    CHECK(!libs[1].version.empty());
    CHECK(libs[2].name == "toml++");
    CHECK(libs[2].version.find('.') != std::string::npos);
    CHECK(libs[3].name == "libpg_query");
    CHECK(libs[3].version.rfind("15", 0) == 0);
    CHECK(libs[4].name == "ncurses");
    CHECK(libs[4].version.rfind("6.", 0) == 0);
}
