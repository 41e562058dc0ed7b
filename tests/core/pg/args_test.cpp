#include "sentinel/core/pg/args.hpp"

#include <doctest/doctest.h>

using sentinel::parse_psql_args;
using sentinel::PsqlConnArgs;

namespace {

using Args = std::vector<std::string>;

// "host|port|user|dbname" with "-" for an option not given.
std::string conn(const Args& args) {
    PsqlConnArgs a = parse_psql_args(args);
    auto v = [](const std::optional<std::string>& o) { return o ? *o : std::string("-"); };
    return v(a.host) + "|" + v(a.port) + "|" + v(a.user) + "|" + v(a.dbname);
}

}  // namespace

TEST_CASE("pg_args: short options with separate and attached values") {
    CHECK(conn({"-h", "db1", "-p", "5433", "-U", "alice", "-d", "orders"}) == "db1|5433|alice|orders");
    CHECK(conn({"-hdb1", "-p5433", "-Ualice", "-dorders"}) == "db1|5433|alice|orders");
    CHECK(conn({}) == "-|-|-|-");
}

TEST_CASE("pg_args: long options, with = or a separate value, and unambiguous prefixes") {
    CHECK(conn({"--host=db1", "--port", "5433", "--username=alice", "--dbname", "orders"}) == "db1|5433|alice|orders");
    CHECK(conn({"--ho", "db1"}) == "db1|-|-|-");
    CHECK(conn({"--user=bob", "--db=x"}) == "-|-|bob|x");
    CHECK(parse_psql_args({"--host=db1"}).given == Args{"--host"});
    CHECK(parse_psql_args({"--ho=db1"}).given == Args{"--host"});
}

TEST_CASE("pg_args: clustered flags before an option with a value") {
    CHECK(conn({"-Xqh", "db1"}) == "db1|-|-|-");
    CHECK(conn({"-Xqhdb1"}) == "db1|-|-|-");
    CHECK(conn({"-qAtX", "-d", "x"}) == "-|-|-|x");
}

TEST_CASE("pg_args: positional dbname, then user") {
    CHECK(conn({"orders"}) == "-|-|-|orders");
    CHECK(conn({"orders", "alice"}) == "-|-|alice|orders");
    CHECK(conn({"orders", "alice", "extra"}) == "-|-|alice|orders");
    CHECK(conn({"-d", "orders", "alice"}) == "-|-|alice|orders");     // -d given: the first positional is the user
    CHECK(conn({"alice", "-d", "orders"}) == "-|-|alice|orders");     // options after positionals, as getopt permutes
    CHECK(conn({"-U", "bob", "orders", "alice"}) == "-|-|bob|orders");
    CHECK(parse_psql_args({"orders", "alice"}).given == Args{"dbname (argument)", "user (argument)"});
}

TEST_CASE("pg_args: -- ends options") {
    CHECK(conn({"--", "-h"}) == "-|-|-|-h");
    CHECK(conn({"-h", "db1", "--", "orders", "-U"}) == "db1|-|-U|orders");
}

TEST_CASE("pg_args: the last occurrence wins") {
    CHECK(conn({"-h", "a", "--host=b", "-hc"}) == "c|-|-|-");
    CHECK(conn({"-d", "a", "-d", "b"}) == "-|-|-|b");
}

TEST_CASE("pg_args: values of other options are skipped, never taken as dbname") {
    CHECK(conn({"-c", "select 1", "orders"}) == "-|-|-|orders");
    CHECK(conn({"-c", "drop table x"}) == "-|-|-|-");
    CHECK(conn({"--command=select 1"}) == "-|-|-|-");
    CHECK(conn({"-f", "script.sql", "-v", "ON_ERROR_STOP=1", "-o", "out", "-P", "pager=off", "db"}) == "-|-|-|db");
    CHECK(conn({"-L", "log", "-F", ",", "-R", ";", "-T", "x", "db"}) == "-|-|-|db");
    CHECK(conn({"--set", "x=1", "--file", "f.sql", "db"}) == "-|-|-|db");
    CHECK(conn({"-qc", "select 1", "db"}) == "-|-|-|db");
}

TEST_CASE("pg_args: -l") {
    PsqlConnArgs a = parse_psql_args({"-l"});
    CHECK(a.list);
    CHECK_FALSE(a.dbname);
    CHECK(parse_psql_args({"--list", "-h", "x"}).list);
    CHECK_FALSE(parse_psql_args({"-h", "x"}).list);
}
