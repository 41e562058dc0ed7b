// What the guard says moved while a question was open (issue 8 item 4).

#include "sentinel/core/guard/change.hpp"

#include <doctest/doctest.h>

#include "tests/builders.hpp"

using namespace sentinel;
using namespace sentinel::test;

TEST_CASE("describe_change: a context switched in another terminal, from what to what") {
    Snapshot before = Snap().add(kube("prod-eu").ns("payments"));
    Snapshot after = Snap().add(kube("kind-dev").ns("payments"));
    CHECK(describe_change(before, after) == "kube context \"prod-eu\" → \"kind-dev\"; tier production → local");
}

TEST_CASE("describe_change: a pg host, a field that appeared, a target gone or new") {
    Snapshot before = Snap().add(pg("orders", "db1.prod")).add(env("APP_ENV", "production"));
    Snapshot after = Snap().add(pg("orders", "db2.prod").user("app"));
    CHECK(describe_change(before, after) ==
          "pg host \"db1.prod\" → \"db2.prod\"; pg user (none) → \"app\"; env target \"APP_ENV=production\" is gone");
    CHECK(describe_change(after, before).find("env target \"APP_ENV=production\" appeared") != std::string::npos);
}

TEST_CASE("describe_change: names are sanitized and elided; unchanged targets say nothing") {
    Snapshot before = Snap().add(kube("prod-eu")).add(kube("a\x1b[2Jb"));
    Snapshot after = Snap().add(kube("prod-eu")).add(kube(std::string(300, 'x') + "-prod"));
    std::string d = describe_change(before, after);
    CHECK(d.find('\x1b') == std::string::npos);
    CHECK(d.find("kube context \"a\\e[2Jb\" → \"xxx") == 0);
    CHECK(d.size() < 200);
    CHECK(d.find("prod-eu") == std::string::npos);
}

TEST_CASE("describe_change: only the pin moved (options or a password): its values are never shown") {
    Snapshot s = Snap().add(pg("orders", "db1.prod"));
    CHECK(describe_change(s, s) == "the connection settings changed");
}
