#include <doctest/doctest.h>

#include "sentinel/core/dotenv/resolve.hpp"
#include "tests/fake_fs.hpp"

using namespace sentinel;
using test::FakeFs;

TEST_CASE("dotenv_directories: up to the repository root or HOME") {
    FakeFs fs;
    fs.error("/h/proj/.git", "not a regular file");
    CHECK(dotenv_directories({{"HOME", "/h"}}, "/h/proj/a/b", fs) ==
          std::vector<std::string>{"/h/proj/a/b", "/h/proj/a", "/h/proj"});
    CHECK(dotenv_directories({{"HOME", "/h"}}, "/h/other/x", fs) == std::vector<std::string>{"/h/other/x", "/h/other", "/h"});
    CHECK(dotenv_directories({{"HOME", "/h"}}, "/srv/app", fs) == std::vector<std::string>{"/srv/app"});
    CHECK(dotenv_directories({{"HOME", "/h/"}}, "/h/", fs) == std::vector<std::string>{"/h"});
    CHECK(dotenv_directories({}, "relative", fs).empty());
}

TEST_CASE("resolve_dotenv: nearest directory wins, .env.local over .env, the shell over both") {
    FakeFs fs;
    fs.error("/h/p/.git", "not a regular file");
    fs.file("/h/p/.env", "APP_ENV=production\nDATABASE_URL=postgres://u:pw@db.prod/x\nOTHER=1\n");
    fs.file("/h/p/.env.local", "APP_ENV=staging\n");
    fs.file("/h/p/sub/.env", "# nothing\nRAILS_ENV=test\n");
    std::vector<std::string> warnings;
    auto o = resolve_dotenv({{"HOME", "/h"}}, "/h/p/sub", {".env", ".env.local"},
                            {"APP_ENV", "RAILS_ENV", "DATABASE_URL", "DB_PASSWORD"}, fs, warnings);
    REQUIRE(o.values.size() == 3);
    CHECK(o.values[0].name == "APP_ENV");
    CHECK(o.values[0].value == "staging");
    CHECK(o.values[0].file == "/h/p/.env.local");
    CHECK(o.values[1].name == "RAILS_ENV");
    CHECK(o.values[1].line == 2);
    CHECK(o.values[2].value == "postgres://u:***@db.prod/x");  // the password never leaves
    CHECK(o.files == std::vector<std::string>{"/h/p/sub/.env", "/h/p/.env.local", "/h/p/.env"});
    CHECK(warnings.empty());

    auto shell = resolve_dotenv({{"HOME", "/h"}, {"APP_ENV", ""}}, "/h/p", {".env", ".env.local"}, {"APP_ENV"}, fs,
                                warnings);
    CHECK(shell.values.empty());  // exported, even empty: the shell wins
}

TEST_CASE("resolve_dotenv: secret names are never taken, bad files are unknown targets") {
    FakeFs fs;
    fs.file("/w/.env", "DB_PASSWORD=hunter2\nAPI_TOKEN=t\nbroken line\n");
    fs.error("/w/.env.local", "permission denied");
    std::vector<std::string> warnings;
    auto o = resolve_dotenv({}, "/w", {".env", ".env.local"}, {"DB_PASSWORD", "API_TOKEN"}, fs, warnings);
    CHECK(o.values.empty());
    REQUIRE(o.unreadable.size() == 1);
    CHECK(o.unreadable[0].problems.front() == "/w/.env.local: permission denied");
    REQUIRE(warnings.size() == 2);
    CHECK(warnings[1] == "/w/.env:3: a statement python-dotenv cannot parse (skipped, as it does)");
    fs.file("/w/.env.local", "A=\xff\n");
    warnings.clear();
    CHECK(resolve_dotenv({}, "/w", {".env.local"}, {"A"}, fs, warnings).unreadable.size() == 1);
}

TEST_CASE("resolve_dotenv: a virtualenv called .env is not a dotenv file") {
    FakeFs fs;
    fs.error("/w/.env", "not a regular file");
    fs.file("/w/.env.local", "APP_ENV=dev\n");
    std::vector<std::string> warnings;
    auto o = resolve_dotenv({}, "/w", {".env", ".env.local"}, {"APP_ENV"}, fs, warnings);
    CHECK(o.unreadable.empty());
    CHECK(warnings.empty());
    REQUIRE(o.values.size() == 1);
    CHECK(o.values[0].value == "dev");
}

TEST_CASE("redact_passwords: URL userinfo and password= words") {
    CHECK(redact_passwords("postgres://u:p@h/d") == "postgres://u:***@h/d");
    CHECK(redact_passwords("host=h password=secret dbname=d") == "host=h password=*** dbname=d");
    CHECK(redact_passwords("PASSWORD = 'a b' x") == "PASSWORD = *** x");
    CHECK(redact_passwords("passwords are fine") == "passwords are fine");
}

TEST_CASE("attribute_dotenv: origins become path:line") {
    Target t;
    t.kind = Kind::env;
    t.set("name", "APP_ENV", "APP_ENV");
    t.set("value", "prod", "APP_ENV");
    t.sources = {"APP_ENV"};
    std::vector<Target> targets = {t};
    attribute_dotenv(targets, {"APP_ENV", "prod", "/p/.env", 4});
    CHECK(targets[0].find("value")->origin == "/p/.env:4 (APP_ENV)");
    CHECK(targets[0].files == std::vector<std::string>{"/p/.env"});
}
