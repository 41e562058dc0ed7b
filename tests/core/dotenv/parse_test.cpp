#include <doctest/doctest.h>

#include "sentinel/core/dotenv/parse.hpp"

using namespace sentinel;

namespace {

// "KEY=value|KEY2=value2" of the interpolated values, in order.
std::string values(std::string_view text, const Vars& env = {}) {
    std::string out;
    for (const DotenvBinding& b : dotenv_values(parse_dotenv(text), env))
        out += (out.empty() ? "" : "|") + b.key + "=" + *b.value;
    return out;
}

}  // namespace

TEST_CASE("dotenv: plain, export, comments, blank lines") {
    CHECK(values("A=1\n\n# c\nexport B=2\n  C = 3 \n") == "A=1|B=2|C=3");
    CHECK(values("A=1 # comment\nB=x#y\nC=\n") == "A=1|B=x#y|C=");
    CHECK(values("exportX=1\nexport=2\n") == "exportX=1|export=2");
    CHECK(values("A=1\r\nB=2\rC=3") == "A=1|B=2|C=3");
}

TEST_CASE("dotenv: quotes and escapes as python-dotenv") {
    CHECK(values(R"(A='x\ny' B)" "\n") == "");  // text after a quoted value: an error
    CHECK(values(R"(A='a\'b\\c\n')") == R"(A=a'b\c\n)");
    CHECK(values(R"(A="a\"b\\c\nd\te")") == "A=a\"b\\c\nd\te");
    CHECK(values("A=\"line1\nline2\"\nB=2\n") == "A=line1\nline2|B=2");
    CHECK(values("'quoted key'=v\n") == "quoted key=v");
    CHECK(values("A=\"x\" # fine\n") == "A=x");
}

TEST_CASE("dotenv: errors skip to the end of the line; line numbers") {
    DotenvFile f = parse_dotenv("A=1\nbad line\n=x\nB=\"unterminated\nC=3\n");
    REQUIRE(f.bindings.size() >= 1);
    CHECK(f.bindings[0].line == 1);
    CHECK(f.error_lines.size() >= 2);
    CHECK(f.error_lines[0] == 2);
    CHECK(f.error_lines[1] == 3);
    CHECK(values("\n\n  KEY=v\n") == "KEY=v");
    CHECK(parse_dotenv("\n\n  KEY=v\n").bindings[0].line == 3);
}

TEST_CASE("dotenv: a bare key sets nothing, but counts as set and empty for ${}") {
    CHECK(values("A\nB=${A:-d}\n") == "B=");
    CHECK(values("A=1\nA\n") == "");
}

TEST_CASE("dotenv: ${VAR} expansion, the shell wins, no command substitution") {
    CHECK(values("A=x\nB=${A}-${HOME}-${NOPE}-${NOPE:-dflt}\n", {{"HOME", "/h"}}) == "A=x|B=x-/h--dflt");
    CHECK(values("A=x\nB=${A}\n", {{"A", "shell"}}) == "A=x|B=shell");
    CHECK(values("A=$(id) `id` $HOME ${A\n") == "A=$(id) `id` $HOME ${A");
    CHECK(values("A='${HOME}'\n", {{"HOME", "/h"}}) == "A=/h");  // python-dotenv expands single quotes too
    CHECK(values("B=${A}\nA=late\n") == "B=|A=late");
}

TEST_CASE("dotenv: references for shells to report") {
    CHECK(dotenv_references(parse_dotenv("A=${X}${Y:-1}\nB=${X}\nC\n")) == std::vector<std::string>{"X", "Y"});
}
