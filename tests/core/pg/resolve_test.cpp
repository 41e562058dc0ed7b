#include "sentinel/core/pg/resolve.hpp"

#include <doctest/doctest.h>
#include <stdlib.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

using namespace sentinel;

namespace {

// A private HOME with a service file, so libpq sees nothing of the machine's.
struct PgHome {
    std::string dir;
    PgHome() {
        char tmpl[] = "/tmp/sentinel-pg-test-XXXXXX";
        dir = mkdtemp(tmpl);
        std::ofstream(dir + "/services.conf") << "[orders]\n"
                                                 "host=db1.prod.example\n"
                                                 "port=6432\n"
                                                 "dbname=orders\n"
                                                 "user=app\n"
                                                 "password=CANARY-service\n"
                                                 "\n"
                                                 "[scratch]\n"
                                                 "dbname=scratch\n";
        std::ofstream(dir + "/.pg_service.conf") << "[home]\nhost=home.example\n";
    }
    ~PgHome() {
        unlink((dir + "/services.conf").c_str());
        unlink((dir + "/.pg_service.conf").c_str());
        rmdir(dir.c_str());
    }
    Vars vars(std::initializer_list<std::pair<const std::string, std::string>> more = {}) const {
        Vars v{{"HOME", dir}, {"PGSYSCONFDIR", dir + "/no-such-dir"}, {"PGSERVICEFILE", dir + "/services.conf"}};
        for (const auto& [k, val] : more) v[k] = val;
        return v;
    }
};

const PgHome& home() {
    static PgHome h;
    return h;
}

struct Resolved {
    std::vector<Target> targets;
    std::vector<std::string> warnings;
    const Target& one() const {
        REQUIRE(targets.size() == 1);
        return targets[0];
    }
};

Resolved resolve(const Vars& vars, const ConnParams& params = {}, const std::string& source = "environment",
                 const std::vector<std::string>& flags = {}) {
    Resolved r;
    r.targets = resolve_pg(vars, params, source, flags, r.warnings);
    return r;
}

Resolved psql(const Vars& vars, const std::vector<std::string>& args) {
    PsqlConnArgs a = parse_psql_args(args);
    return resolve(vars, psql_params(a), "psql", a.given);
}

// No field, origin, source, problem or warning contains `secret`.
bool nowhere(const Resolved& r, const std::string& secret) {
    auto clean = [&](const std::string& s) { return s.find(secret) == std::string::npos; };
    for (const Target& t : r.targets) {
        for (const Field& f : t.fields)
            if (!clean(f.value) || !clean(f.origin)) return false;
        if (!std::all_of(t.problems.begin(), t.problems.end(), clean)) return false;
        if (!std::all_of(t.sources.begin(), t.sources.end(), clean)) return false;
    }
    return std::all_of(r.warnings.begin(), r.warnings.end(), clean);
}

}  // namespace

TEST_CASE("resolve_pg: a service from PGSERVICEFILE") {
    Resolved r = resolve(home().vars({{"PGSERVICE", "orders"}}));
    const Target& t = r.one();
    CHECK(t.problems.empty());
    CHECK(t.get("service") == "orders");
    CHECK(t.find("service")->origin == "PGSERVICE");
    CHECK(t.get("host") == "db1.prod.example");
    CHECK(t.find("host")->origin == "service \"orders\"");
    CHECK(t.get("port") == "6432");
    CHECK(t.get("dbname") == "orders");
    CHECK(t.get("user") == "app");
    CHECK(t.display_name() == "orders");
    CHECK(std::find(t.sources.begin(), t.sources.end(), "PGSERVICE") != t.sources.end());
}

TEST_CASE("resolve_pg: a service beats PG* variables, a command-line option beats both") {
    Vars vars = home().vars({{"PGSERVICE", "orders"}, {"PGHOST", "env.example"}, {"PGDATABASE", "envdb"}});
    Resolved r_t = resolve(vars);
    const Target& t = r_t.one();
    CHECK(t.get("host") == "db1.prod.example");
    CHECK(t.get("dbname") == "orders");

    Resolved r = psql(vars, {"-h", "cli.example"});
    CHECK(r.one().get("host") == "cli.example");
    CHECK(r.one().find("host")->origin == "psql");
    CHECK(r.one().get("dbname") == "orders");

    // Without a service, the variables count.
    Resolved r_e = resolve(home().vars({{"PGHOST", "env.example"}}));
    const Target& e = r_e.one();
    CHECK(e.get("host") == "env.example");
    CHECK(e.find("host")->origin == "PGHOST");
}

TEST_CASE("resolve_pg: a conninfo string as dbname overrides -h") {
    Resolved r_t = psql(home().vars(), {"-h", "a.example", "host=b.example dbname=x"});
    const Target& t = r_t.one();
    CHECK(t.get("host") == "b.example");
    CHECK(t.get("dbname") == "x");
    Resolved r_s = psql(home().vars(), {"service=orders"});
    const Target& s = r_s.one();
    CHECK(s.get("service") == "orders");
    CHECK(s.get("host") == "db1.prod.example");
}

TEST_CASE("resolve_pg: a URI") {
    Resolved r_t = psql(home().vars(), {"postgresql://alice@db2.example:5433/sales"});
    const Target& t = r_t.one();
    CHECK(t.get("host") == "db2.example");
    CHECK(t.get("port") == "5433");
    CHECK(t.get("user") == "alice");
    CHECK(t.get("dbname") == "sales");
    CHECK(t.display_name() == "sales@db2.example");
}

TEST_CASE("resolve_pg: host=a,b gives one target per host") {
    Resolved r = psql(home().vars(), {"host=a.example,b.example port=5432,5433 dbname=x"});
    REQUIRE(r.targets.size() == 2);
    CHECK(r.targets[0].get("host") == "a.example");
    CHECK(r.targets[0].get("port") == "5432");
    CHECK(r.targets[1].get("host") == "b.example");
    CHECK(r.targets[1].get("port") == "5433");
    CHECK(r.targets[1].get("dbname") == "x");
}

TEST_CASE("resolve_pg: defaults: port 5432, a socket directory as host") {
    Resolved r_t = resolve(home().vars({{"PGDATABASE", "x"}}));
    const Target& t = r_t.one();
    CHECK(t.get("port") == "5432");
    REQUIRE_FALSE(t.get("host").empty());
    CHECK(t.get("host")[0] == '/');
    CHECK(t.find("host")->origin == "libpq default");
    CHECK(t.find("dbname")->origin == "PGDATABASE");
    Resolved r_h = resolve(home().vars({{"PGHOST", "h"}}));
    CHECK(r_h.one().get("port") == "5432");
}

TEST_CASE("resolve_pg: an unknown service is one unknown target with libpq's reason") {
    Resolved r = resolve(home().vars({{"PGSERVICE", "nosuch"}}));
    const Target& t = r.one();
    REQUIRE(t.problems.size() == 1);
    CHECK(t.problems[0].rfind("libpq: ", 0) == 0);
    CHECK(t.problems[0].find("nosuch") != std::string::npos);
    CHECK(t.get("service") == "nosuch");
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].rfind("pg (environment): libpq: ", 0) == 0);
}

TEST_CASE("resolve_pg: PGSERVICEFILE naming a missing file is an error, no fallback to ~/.pg_service.conf") {
    Vars vars = home().vars({{"PGSERVICE", "home"}});
    vars.erase("PGSERVICEFILE");
    Resolved by_home = resolve(vars);
    CHECK(by_home.one().get("host") == "home.example");  // ~/.pg_service.conf by default
    vars["PGSERVICEFILE"] = home().dir + "/missing.conf";
    Resolved r_t = resolve(vars);
    const Target& t = r_t.one();
    REQUIRE(t.problems.size() == 1);
    CHECK(t.problems[0].find("not found") != std::string::npos);
    CHECK(t.get("host") != "home.example");
}

TEST_CASE("resolve_pg: an invalid port is a problem") {
    Resolved r_t = resolve(home().vars({{"PGHOST", "h"}, {"PGPORT", "54x"}}));
    const Target& t = r_t.one();
    CHECK_FALSE(t.problems.empty());
}

TEST_CASE("resolve_pg: passwords never reach a field, origin, source, problem or warning") {
    Vars vars = home().vars({{"PGPASSWORD", "CANARY-env"}, {"PGHOST", "h"}});
    CHECK(nowhere(resolve(vars), "CANARY"));
    CHECK(nowhere(resolve(home().vars({{"PGSERVICE", "orders"}})), "CANARY"));
    CHECK(nowhere(psql(home().vars(), {"host=h dbname=d password=CANARY-conninfo"}), "CANARY"));
    CHECK(nowhere(psql(home().vars(), {"postgresql://u:CANARY-uri@h/db"}), "CANARY"));
    CHECK(nowhere(psql(home().vars(), {"postgresql://u:CANARY-p%40ss%3A%2F@h/db"}), "CANARY"));

    Resolved bad = psql(home().vars(), {"postgresql://u:CANARY%zz@h/db"});
    CHECK(nowhere(bad, "CANARY"));
    CHECK_FALSE(bad.one().problems.empty());
    Resolved bad2 = psql(home().vars(), {"host=h password='CANARY unterminated"});
    CHECK(nowhere(bad2, "CANARY"));
    CHECK_FALSE(bad2.one().problems.empty());
}

TEST_CASE("resolve_pg: psql_params and has_pg_environment") {
    ConnParams p = psql_params(parse_psql_args({"-l"}));
    CHECK(p == ConnParams{{"dbname", "postgres"}});
    p = psql_params(parse_psql_args({"-h", "h", "-p", "1", "-U", "u", "d"}));
    CHECK(p == ConnParams{{"host", "h"}, {"port", "1"}, {"user", "u"}, {"dbname", "d"}});
    CHECK(has_pg_environment({{"PGHOST", "h"}}));
    CHECK(has_pg_environment({{"PGSERVICE", "s"}}));
    CHECK_FALSE(has_pg_environment({{"PGHOST", ""}, {"PGPASSWORD", "x"}, {"HOME", "/h"}}));
}

TEST_CASE("resolve_pg: hostaddr alone is shown as the host, as psql does; psql -l connects to postgres") {
    Resolved r = psql(home().vars(), {"hostaddr=10.0.0.5 dbname=x"});
    CHECK(r.one().get("host") == "10.0.0.5");
    CHECK(r.one().get("hostaddr") == "10.0.0.5");
    Resolved l = psql(home().vars({{"PGHOST", "h"}}), {"-l"});
    CHECK(l.one().get("dbname") == "postgres");
    CHECK(l.one().find("dbname")->origin == "psql");
}

TEST_CASE("resolve_pg: a password with an unescaped '/' in a URI is refused, never shown (bug)") {
    for (const char* uri : {"postgresql://u:CAN/ARY@h/db", "postgres://u:CAN?ARY@h/db", "postgresql://u:C#ANARY@h/db"}) {
        CAPTURE(uri);
        Resolved r = resolve(home().vars(), {{"dbname", uri}}, "DATABASE_URL");
        const Target& t = r.one();
        CHECK_FALSE(t.problems.empty());
        for (const Field& f : t.fields) CHECK(f.value.find("ARY") == std::string::npos);
        for (const std::string& p : t.problems) CHECK(p.find("ARY") == std::string::npos);
        for (const std::string& w : r.warnings) CHECK(w.find("ARY") == std::string::npos);
    }
}

TEST_CASE("resolve_pg: a bad port is a problem that does not quote the value") {
    // Before, this passed with no problem reported at all: the loop below
    // had nothing to look at.
    Resolved r = resolve(home().vars(), {{"dbname", "postgresql://u:SECRETPW@h:BADPORT/db"}});
    const Target& t = r.one();
    REQUIRE_FALSE(t.problems.empty());
    CHECK(t.problems.front().find("port") != std::string::npos);
    CHECK(nowhere(r, "SECRETPW"));
    for (const std::string& p : t.problems) CHECK(p.find("BADPORT") == std::string::npos);
    for (const std::string& w : r.warnings) CHECK(w.find("BADPORT") == std::string::npos);
}

TEST_CASE("resolve_pg: an empty entry of a host list is the default socket directory (bug)") {
    Resolved r = resolve(home().vars(), {{"host", "db.example,"}, {"dbname", "x"}});
    REQUIRE(r.targets.size() == 2);
    CHECK(r.targets[0].get("host") == "db.example");
    CHECK(r.targets[1].get("host").front() == '/');
}

TEST_CASE("resolve_pg: a service's user equal to libpq's default user is from the service (issue 8)") {
    const char* me = getpwuid(geteuid())->pw_name;
    std::string file = home().dir + "/same-user.conf";
    std::ofstream(file) << "[mine]\nhost=db.example\nuser=" << me << "\n";
    Resolved r = resolve(home().vars({{"PGSERVICEFILE", file}, {"PGSERVICE", "mine"}}));
    const Target& t = r.one();
    CHECK(t.get("user") == me);
    CHECK(t.find("user")->origin == "service \"mine\"");
    CHECK(t.find("port")->origin == "libpq default");
    CHECK(t.find("dbname")->origin == "libpq default");  // libpq's default: the user name
    unlink(file.c_str());
}
