#include "sentinel/core/env/resolve.hpp"

#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>

#include "sentinel/core/config/config.hpp"

using namespace sentinel;

namespace {

std::vector<Target> env_targets(const Vars& vars, const std::vector<std::string>& names) {
    return resolve_env(vars, names);
}

std::vector<Target> database_url(const std::string& url) {
    std::vector<std::string> warnings;
    char tmpl[] = "/tmp/sentinel-env-test-XXXXXX";
    std::string dir = mkdtemp(tmpl);
    Vars vars{{"HOME", dir}, {"PGSYSCONFDIR", dir}, {"DATABASE_URL", url}};
    auto targets = resolve_database_url(vars, warnings);
    rmdir(dir.c_str());
    for (const std::string& w : warnings) CHECK(w.find("CANARY") == std::string::npos);
    return targets;
}

}  // namespace

TEST_CASE("redact_url_password") {
    CHECK(redact_url_password("postgres://u:secret@h/db") == "postgres://u:***@h/db");
    CHECK(redact_url_password("mysql://u:p@ss@h:3306/db") == "mysql://u:***@h:3306/db");
    CHECK(redact_url_password("redis://:secret@h") == "redis://:***@h");
    // The userinfo runs to the last '@': an unescaped '/', '?' or '#' in a
    // password cannot end it early. A later '@' over-redacts; that is the
    // safe mistake.
    CHECK(redact_url_password("mysql://u:CAN/ARY@h/db") == "mysql://u:***@h/db");
    CHECK(redact_url_password("mysql://u:CAN?A#RY@h/db") == "mysql://u:***@h/db");
    CHECK(redact_url_password("https://u:pw@h?next=a@b") == "https://u:***@b");
    CHECK(redact_url_password("postgres://u@h:5432/db") == "postgres://u@h:5432/db");
    CHECK(redact_url_password("postgres://h:5432/db") == "postgres://h:5432/db");
    CHECK(redact_url_password("https://h/path?mail=a:b@c") == "https://h/path?mail=a:***@c");
    CHECK(redact_url_password("production") == "production");
    CHECK(redact_url_password("") == "");
    CHECK(redact_url_password("s3://") == "s3://");
}

TEST_CASE("resolve_env: one target per set, non-empty variable, in the order of names") {
    Vars vars{{"APP_ENV", "production"}, {"AWS_PROFILE", ""}, {"NODE_ENV", "dev"}, {"OTHER", "x"}};
    auto targets = env_targets(vars, {"NODE_ENV", "AWS_PROFILE", "APP_ENV", "MISSING"});
    REQUIRE(targets.size() == 2);
    CHECK(targets[0].kind == Kind::env);
    CHECK(targets[0].get("name") == "NODE_ENV");
    CHECK(targets[0].get("value") == "dev");
    CHECK(targets[0].find("value")->origin == "NODE_ENV");
    CHECK(targets[0].sources == std::vector<std::string>{"NODE_ENV"});
    CHECK(targets[1].display_name() == "APP_ENV=production");
}

TEST_CASE("resolve_env: the default names") {
    auto names = builtin_config().env.value();
    Vars vars;
    for (const std::string& n : names) vars[n] = "v-" + n;
    auto targets = env_targets(vars, names);
    REQUIRE(targets.size() == names.size());
    CHECK(targets.front().get("name") == "APP_ENV");
    CHECK(std::find(names.begin(), names.end(), "AWS_PROFILE") != names.end());
    CHECK(std::find(names.begin(), names.end(), "NODE_ENV") != names.end());
}

TEST_CASE("resolve_env: a URL value loses its password") {
    auto targets = env_targets({{"APP_ENV", "amqp://guest:CANARY@mq/vhost"}}, {"APP_ENV"});
    REQUIRE(targets.size() == 1);
    CHECK(targets[0].get("value") == "amqp://guest:***@mq/vhost");
}

TEST_CASE("resolve_database_url: postgres:// becomes pg targets without the password") {
    for (const char* url : {"postgres://app:CANARY@db.prod.example:6432/orders",
                            "postgresql://app:CANARY@db.prod.example:6432/orders"}) {
        CAPTURE(url);
        auto targets = database_url(url);
        REQUIRE(targets.size() == 1);
        const Target& t = targets[0];
        CHECK(t.kind == Kind::pg);
        CHECK(t.get("host") == "db.prod.example");
        CHECK(t.get("port") == "6432");
        CHECK(t.get("dbname") == "orders");
        CHECK(t.get("user") == "app");
        CHECK(t.find("host")->origin == "DATABASE_URL");
        for (const Field& f : t.fields) CHECK(f.value.find("CANARY") == std::string::npos);
    }
}

TEST_CASE("resolve_database_url: other schemes stay env targets with ***") {
    auto targets = database_url("mysql://root:CANARY@db/app");
    REQUIRE(targets.size() == 1);
    CHECK(targets[0].kind == Kind::env);
    CHECK(targets[0].get("value") == "mysql://root:***@db/app");
    CHECK(database_url("").empty());
    std::vector<std::string> warnings;
    CHECK(resolve_database_url({}, warnings).empty());
    CHECK(warnings.empty());
}
