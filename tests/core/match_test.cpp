#include "sentinel/core/match.hpp"

#include <doctest/doctest.h>

#include <chrono>

using sentinel::Pattern;

namespace {

Pattern glob(const std::string& text) { return Pattern::compile(Pattern::Type::glob, text).value(); }

Pattern regex(const std::string& text) {
    auto p = Pattern::compile(Pattern::Type::regex, text);
    if (!p) FAIL("regex did not compile: " << p.error().message);
    return p.value();
}

std::string must_fail(const std::string& text) {
    auto p = Pattern::compile(Pattern::Type::regex, text);
    if (p) FAIL("compiled, expected an error");
    return p.error().message;
}

}  // namespace

TEST_CASE("match: globs match the whole value, case-insensitively") {
    CHECK(glob("prod-*").matches("prod-eu"));
    CHECK(glob("prod-*").matches("PROD-EU"));
    CHECK(glob("PROD").matches("prod"));
    CHECK_FALSE(glob("prod").matches("prod-eu"));
    CHECK_FALSE(glob("prod-*").matches("my-prod-eu"));
    CHECK(glob("*prod*").matches("my-prod-eu"));
    CHECK(glob("db?.example").matches("db1.example"));
    CHECK(glob("db[0-9]").matches("db7"));
    CHECK_FALSE(glob("db[0-9]").matches("dbx"));
    CHECK(glob("https://*").matches("https://a/b/c"));  // '*' crosses '/'
    CHECK(glob("*").matches(""));
    CHECK(glob("prod-*").type() == Pattern::Type::glob);
    CHECK(glob("prod-*").text() == "prod-*");
}

TEST_CASE("match: regexes match anywhere unless anchored, case-insensitively") {
    CHECK(regex("prod").matches("eu-prod-1"));
    CHECK(regex("prod").matches("EU-PROD"));
    CHECK_FALSE(regex("^prod").matches("eu-prod"));
    CHECK(regex("^(kind|k3d)-").matches("kind-dev"));
    CHECK(regex("[0-9]{3}$").matches("db-123"));
    CHECK_FALSE(regex("[0-9]{3}$").matches("db-12"));
}

TEST_CASE("match: an invalid regex is an error with regerror's text") {
    std::string e = must_fail("prod(");
    CHECK(e.rfind("invalid regular expression: ", 0) == 0);
    CHECK(e.size() > std::string("invalid regular expression: ").size());
    must_fail("[z-a]");
    must_fail("*?");
}

TEST_CASE("match: a 100 KB value") {
    std::string big(100 * 1024, 'a');
    std::string tail = big + "-prod";
    auto start = std::chrono::steady_clock::now();
    CHECK(regex("-prod$").matches(tail));
    CHECK(glob("*-prod").matches(tail));
    CHECK_FALSE(glob("*-prod").matches(big));
    CHECK_FALSE(regex("prod").matches(big));
    CHECK(regex("(^|[^[:alpha:]])(prod)([^[:alpha:]]|$)").matches(tail));
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    CHECK(ms < 1000);
}
