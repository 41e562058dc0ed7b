#include <doctest/doctest.h>

#include "sentinel/core/ini/configparser.hpp"

using namespace sentinel;

namespace {

IniFile must_parse(std::string_view text, const IniSecretKey& secret = nullptr) {
    auto r = parse_configparser(text, "f.ini", secret);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    return r.value();
}

std::string must_fail(std::string_view text) {
    auto r = parse_configparser(text, "f.ini", nullptr);
    return r.ok() ? "parsed" : r.error().to_string();
}

std::string value(const IniFile& f, std::string_view section, std::string_view option) {
    const IniSection* s = f.find(section);
    const IniOption* o = s ? s->find(option) : nullptr;
    return o ? o->value : "<none>";
}

}  // namespace

TEST_CASE("configparser: sections, options, case, delimiters, comments") {
    IniFile f = must_parse("# c\n; c\n[Sec One]\nKey = v1\nother: v2 ; not a comment\n  spaced   =   x  \n");
    CHECK(f.sections.size() == 1);
    CHECK(f.sections[0].name == "Sec One");
    CHECK(value(f, "Sec One", "key") == "v1");
    CHECK(value(f, "Sec One", "other") == "v2 ; not a comment\nspaced   =   x");  // deeper indent: continues
    CHECK(value(must_parse("[s]\n  spaced   =   x  \n"), "s", "spaced") == "x");
    CHECK(f.sections[0].find("key")->line == 4);
    CHECK(value(must_parse("[a] trailing\nk=v\n"), "a", "k") == "v");
    CHECK(must_parse("[a]]\n").sections[0].name == "a]");
}

TEST_CASE("configparser: continuation lines and blank lines inside values") {
    IniFile f = must_parse("[s]\nk =\n  a = 1\n\n  b = 2\n\nn = x\n");
    CHECK(value(f, "s", "k") == "\na = 1\n\nb = 2");
    CHECK(value(f, "s", "n") == "x");
    CHECK(value(must_parse("[s]\nk = v\n  [t]\n"), "s", "k") == "v\n[t]");  // indented: a continuation
}

TEST_CASE("configparser: DEFAULT values reach every section") {
    IniFile f = must_parse("[DEFAULT]\nregion = r0\n[a]\n[b]\nregion = r1\n");
    CHECK(f.sections.size() == 2);
    CHECK(value(f, "a", "region") == "r0");
    CHECK(value(f, "b", "region") == "r1");
}

TEST_CASE("configparser: strict errors at file:line, never quoting the line") {
    CHECK(must_fail("k = v\n") == "f.ini:1: an option before any [section]");
    CHECK(must_fail("[a]\n[a]\n") == "f.ini:2: section \"a\" appears twice");
    CHECK(must_fail("[a]\nk=1\nK=2\n") == "f.ini:3: option \"k\" appears twice in its section");
    CHECK(must_fail("[a]\nsecret words\n") == "f.ini:2: a line that is neither a section, an option nor a comment");
    CHECK(must_fail("[a]\n= v\n") == "f.ini:2: an option without a name");
    CHECK(must_fail("[a]\nk=\xff\n") == "f.ini: not valid UTF-8");
}

TEST_CASE("configparser: secret values are recognised, never copied") {
    auto secret = [](std::string_view n) { return n == "aws_secret_access_key"; };
    IniFile f = must_parse("[p]\naws_secret_access_key = CANARY\n  CANARY2\nregion = r\n", secret);
    const IniOption* o = f.sections[0].find("aws_secret_access_key");
    REQUIRE(o);
    CHECK(o->secret);
    CHECK(o->value.empty());
    CHECK(value(f, "p", "region") == "r");
}

TEST_CASE("shlex_split: as Python's shlex.split") {
    bool ok = false;
    CHECK(shlex_split("profile  x", ok) == std::vector<std::string>{"profile", "x"});
    CHECK(shlex_split("profile \"my prof\"", ok) == std::vector<std::string>{"profile", "my prof"});
    CHECK(shlex_split("a'b c'd \\ e", ok) == std::vector<std::string>{"ab cd", " e"});
    CHECK(shlex_split("\"a\\\"b\\x\"", ok) == std::vector<std::string>{"a\"b\\x"});
    CHECK(ok);
    CHECK(shlex_split("profile 'x", ok).empty());
    CHECK_FALSE(ok);
}
