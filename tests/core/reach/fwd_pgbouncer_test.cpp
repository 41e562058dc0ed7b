#include <doctest/doctest.h>

#include "sentinel/core/reach/forwarder.hpp"

using namespace sentinel;

namespace {

const char* const kIni =
    "; comment\n"
    "[databases]\n"
    "orders = host=db1.prod.example.com port=6432 dbname=orders_main user=app password=CANARY\n"
    "\"quoted name\" = host='db 2' dbname=q\n"
    "multi = host=a.example,b.example port=5433,5434\n"
    "* = host=fallback.example\n"
    "[pgbouncer]\n"
    "listen_port = 6432\n"
    "unix_socket_dir = /var/run/postgresql\n";

}  // namespace

TEST_CASE("pgbouncer: the configuration file from the command line") {
    Forward f = recognise({"/usr/sbin/pgbouncer", "-d", "-u", "postgres", "/etc/pgbouncer/pgbouncer.ini"}, 6432, "");
    CHECK(f.goal == Forward::Goal::remote);
    CHECK(f.pgbouncer_ini == "/etc/pgbouncer/pgbouncer.ini");
    CHECK(f.get("config") == "/etc/pgbouncer/pgbouncer.ini");
    CHECK(recognise({"pgbouncer", "-d"}, 1, "").goal == Forward::Goal::unknown);
}

TEST_CASE("apply_pgbouncer_ini: the entry for the database, the * fallback, never the password") {
    Forward f = pgbouncer_forward({"p.ini"});
    apply_pgbouncer_ini(f, kIni, "orders");
    CHECK(f.get("database") == "orders");
    CHECK(f.get("remote_host") == "db1.prod.example.com");
    CHECK(f.get("remote_port") == "6432");
    CHECK(f.get("remote_dbname") == "orders_main");
    for (const Field& field : f.reached) CHECK(field.value.find("CANARY") == std::string::npos);

    Forward q = pgbouncer_forward({"p.ini"});
    apply_pgbouncer_ini(q, kIni, "quoted name");
    CHECK(q.get("remote_host") == "db 2");
    CHECK(q.get("remote_port") == "5432");

    Forward m = pgbouncer_forward({"p.ini"});
    apply_pgbouncer_ini(m, kIni, "multi");
    CHECK(m.get("remote_host") == "a.example");
    CHECK(m.get("remote_port") == "5433");

    Forward any = pgbouncer_forward({"p.ini"});
    apply_pgbouncer_ini(any, kIni, "reports");
    CHECK(any.get("database") == "*");
    CHECK(any.get("remote_host") == "fallback.example");
    CHECK(any.get("remote_dbname") == "reports");
}

TEST_CASE("apply_pgbouncer_ini: no host is the Unix socket directory; no entry is unknown") {
    Forward f = pgbouncer_forward({"p.ini"});
    apply_pgbouncer_ini(f, "[databases]\nlocal = dbname=x\n[pgbouncer]\nunix_socket_dir = /run/pg\n", "local");
    CHECK(f.get("remote_host") == "/run/pg");
    Forward d = pgbouncer_forward({"p.ini"});
    apply_pgbouncer_ini(d, "[databases]\nlocal = dbname=x\n", "local");
    CHECK(d.get("remote_host") == "/tmp");
    Forward none = pgbouncer_forward({"p.ini"});
    apply_pgbouncer_ini(none, "[databases]\nother = host=h\n", "orders");
    CHECK(none.goal == Forward::Goal::unknown);
    CHECK(none.problems.back() == "pgbouncer has no [databases] entry for \"orders\" and no \"*\"");
}
