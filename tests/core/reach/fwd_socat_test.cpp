#include <doctest/doctest.h>

#include "sentinel/core/reach/forwarder.hpp"

using namespace sentinel;

TEST_CASE("socat: listen and connect addresses in either order, options ignored, keywords any case") {
    Forward f = recognise({"socat", "-d", "-d", "-lf", "/tmp/log", "TCP-LISTEN:15432,fork,reuseaddr,bind=127.0.0.1",
                           "TCP:db.prod.example.com:5432,connect-timeout=3"},
                          15432, "");
    CHECK(f.goal == Forward::Goal::remote);
    CHECK(f.get("remote_host") == "db.prod.example.com");
    CHECK(f.get("remote_port") == "5432");
    CHECK(f.command == "socat TCP-LISTEN:15432 TCP:db.prod.example.com:5432");
    Forward r = recognise({"/usr/bin/socat", "tcp6:[::1]:5433", "tcp6-listen:6000,ipv6only=1"}, 6000, "");
    CHECK(r.get("remote_host") == "::1");
    CHECK(r.get("remote_port") == "5433");
    Forward u = recognise({"socat", "UNIX-LISTEN:/tmp/.s.PGSQL.5432,fork", "UNIX-CONNECT:/var/run/postgresql/.s.PGSQL.5432"},
                          0, "/tmp/.s.PGSQL.5432");
    CHECK(u.get("remote_socket") == "/var/run/postgresql/.s.PGSQL.5432");
    Forward s = recognise({"socat", "OPENSSL-LISTEN:443,cert=/k/c.pem", "OPENSSL:api.prod:6443,verify=0"}, 443, "");
    CHECK(s.get("remote_host") == "api.prod");
    Forward b = recognise({"socat", "-b8192", "-T", "5", "TCP4-L:1", "TCP4:h:2"}, 1, "");
    CHECK(b.get("remote_host") == "h");
}

TEST_CASE("socat: through a proxy, the final host; a password in address options never shown") {
    Forward f = recognise({"socat", "TCP-LISTEN:5432,fork", "PROXY:proxy.corp:db.prod:5432,proxyauth=u:CANARY"}, 5432, "");
    CHECK(f.get("remote_host") == "db.prod");
    CHECK(f.get("proxy_host") == "proxy.corp");
    CHECK(f.command.find("CANARY") == std::string::npos);
    for (const Field& field : f.reached) CHECK(field.value.find("CANARY") == std::string::npos);
}

TEST_CASE("socat: EXEC, a missing listener or address is unknown") {
    CHECK(recognise({"socat", "TCP-LISTEN:1,fork", "EXEC:/bin/sh CANARY"}, 1, "").goal == Forward::Goal::unknown);
    CHECK(recognise({"socat", "TCP-LISTEN:1,fork", "EXEC:/bin/sh CANARY"}, 1, "").command.find("CANARY") ==
          std::string::npos);
    CHECK(recognise({"socat", "TCP:a:1", "TCP:b:2"}, 1, "").problems.front() == "socat without a listening address");
    CHECK(recognise({"socat", "TCP-L:1"}, 1, "").problems.front() == "socat without two addresses");
}

TEST_CASE("ncat: listen mode running ncat, nc or socat per connection") {
    Forward f = recognise({"ncat", "-l", "-k", "15432", "--sh-exec", "ncat db.prod 5432"}, 15432, "");
    CHECK(f.goal == Forward::Goal::remote);
    CHECK(f.get("remote_host") == "db.prod");
    CHECK(f.get("remote_port") == "5432");
    CHECK(f.command == "ncat -l \u2192 db.prod:5432");
    Forward c = recognise({"nc", "-lkp", "15432", "-c", "nc -w 3 db 5432"}, 15432, "");
    CHECK(c.get("remote_host") == "db");
    Forward e = recognise({"ncat", "--listen", "15432", "--exec=/usr/bin/socat - TCP:h:5"}, 15432, "");
    CHECK(e.get("remote_host") == "h");
    CHECK(recognise({"ncat", "-l", "1", "-e", "/bin/cat"}, 1, "").goal == Forward::Goal::unknown);
    CHECK(recognise({"ncat", "db", "5432"}, 1, "").problems.front() == "ncat is not listening");
}
