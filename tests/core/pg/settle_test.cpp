#include "sentinel/core/pg/settle.hpp"

#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

using namespace sentinel;

namespace {

// A private HOME with a service file and a ~/.pgpass holding a canary.
struct Home {
    std::string dir;
    Home() {
        char tmpl[] = "/tmp/sentinel-settle-test-XXXXXX";
        dir = mkdtemp(tmpl);
        std::ofstream(dir + "/services.conf") << "[orders]\nhost=db1.example\nport=6432\ndbname=orders\nuser=app\n"
                                                 "password=SERVICE-PW\n";
        std::ofstream(dir + "/.pgpass") << "*:*:*:*:PGPASS-CANARY\n";
        chmod((dir + "/.pgpass").c_str(), 0600);
    }
    ~Home() {
        for (const char* f : {"/services.conf", "/.pgpass"}) unlink((dir + f).c_str());
        rmdir(dir.c_str());
    }
    Vars vars() const {
        return {{"HOME", dir}, {"PGSYSCONFDIR", dir + "/none"}, {"PGSERVICEFILE", dir + "/services.conf"}};
    }
};

std::string param(const PinnedConnection& c, const std::string& key) {
    for (const auto& [k, v] : c.params)
        if (k == key) return v;
    return "<absent>";
}

}  // namespace

TEST_CASE("scrub_libpq_message: first line, quoted text out unless known safe") {
    CHECK(scrub_libpq_message("definition of service \"orders\" not found\n", {"orders"}) ==
          "definition of service \"orders\" not found");
    CHECK(scrub_libpq_message("invalid URI query parameter: \"CANARY\"\nmore\n", {}) ==
          "invalid URI query parameter: \"…\"");
    CHECK(scrub_libpq_message("unterminated \"CANARY", {}) == "unterminated \"…\"");
    CHECK(scrub_libpq_message("plain  \n", {}) == "plain");
}

TEST_CASE("settle_options: libpq settles, stopped before connecting") {
    Home h;
    auto s = settle_options(h.vars(), {{"service", "orders"}}, {.before = {}, .after = {{"password", kPlaceholderPassword}}, .stop_key = "sslmode"});
    REQUIRE(s);
    CHECK(s->options.at("host") == "db1.example");
    CHECK(s->options.at("port") == "6432");
    CHECK(s->options.at("dbname") == "orders");
    CHECK(s->options.at("password") == kPlaceholderPassword);
    auto missing = settle_options(h.vars(), {{"service", "nosuch"}}, {.before = {}, .after = {}, .stop_key = "sslmode"});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("nosuch") != std::string::npos);  // raw: callers scrub
}

TEST_CASE("settle_connection: pinned parameters, the user's password apart, never ~/.pgpass") {
    Home h;
    auto c = settle_connection(h.vars(), {{"service", "orders"}});
    REQUIRE(c);
    CHECK(c->params.front() == std::pair<std::string, std::string>{"host", "db1.example"});
    CHECK(param(*c, "port") == "6432");
    CHECK(param(*c, "user") == "app");
    CHECK(param(*c, "service") == "<absent>");
    CHECK(param(*c, "password") == "<absent>");
    CHECK(c->password == std::optional<std::string>("SERVICE-PW"));

    auto plain = settle_connection(h.vars(), {{"host", "db2.example"}, {"dbname", "x"}});
    REQUIRE(plain);
    CHECK_FALSE(plain->password.has_value());  // ~/.pgpass is never read
    for (const auto& [k, v] : plain->params) CHECK(v.find("PGPASS-CANARY") == std::string::npos);

    auto bad = settle_connection(h.vars(), {{"dbname", "postgresql://u:CANARY@h/db?bogus=CANARY2"}});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("CANARY") == std::string::npos);
}

TEST_CASE("conninfo_keywords: what a conninfo string or URI sets") {
    auto k = conninfo_keywords("postgresql://u@h:5433/db?service=s");
    CHECK(k.at("host") == "h");
    CHECK(k.at("port") == "5433");
    CHECK(k.at("service") == "s");
    CHECK(conninfo_keywords("host='unterminated").empty());
}

TEST_CASE("settle_connection: a service name is a name, not a secret: the error shows it (issue 8)") {
    Home h;
    Vars vars = h.vars();
    vars["PGSERVICE"] = "nosuch";
    auto by_env = settle_connection(vars, {});
    REQUIRE_FALSE(by_env);
    CHECK(by_env.error().message == "definition of service \"nosuch\" not found");
    auto by_param = settle_connection(h.vars(), {{"dbname", "service=nosuch2 password=CANARY"}});
    REQUIRE_FALSE(by_param);
    CHECK(by_param.error().message.find("\"nosuch2\"") != std::string::npos);
    CHECK(by_param.error().message.find("CANARY") == std::string::npos);
}
