#include "sentinel/core/reach/endpoint.hpp"

#include <doctest/doctest.h>

using namespace sentinel;

namespace {

Target pg(const std::string& host, const std::string& port = "5432", const std::string& hostaddr = "") {
    Target t;
    t.kind = Kind::pg;
    t.set("host", host, "PGHOST");
    if (!hostaddr.empty()) t.set("hostaddr", hostaddr, "PGHOSTADDR");
    t.set("port", port, "PGPORT");
    return t;
}

Target kube(const std::string& server) {
    Target t;
    t.kind = Kind::kube;
    t.set("context", "c", "f");
    t.set("server", server, "f");
    return t;
}

}  // namespace

TEST_CASE("loopback_addresses: localhost names, 127/8, ::1, mapped, wildcards; nothing else") {
    using V = std::vector<std::string>;
    CHECK(loopback_addresses("localhost") == V{"::1", "127.0.0.1"});
    CHECK(loopback_addresses("LocalHost.") == V{"::1", "127.0.0.1"});
    CHECK(loopback_addresses("db.localhost") == V{"::1", "127.0.0.1"});
    CHECK(loopback_addresses("127.0.0.1") == V{"127.0.0.1"});
    CHECK(loopback_addresses("127.1.2.3") == V{"127.1.2.3"});
    CHECK(loopback_addresses("::1") == V{"::1"});
    CHECK(loopback_addresses("[::1]") == V{"::1"});
    CHECK(loopback_addresses("0:0:0:0:0:0:0:1") == V{"::1"});
    CHECK(loopback_addresses("::ffff:127.0.0.9") == V{"127.0.0.9"});
    CHECK(loopback_addresses("0.0.0.0") == V{"127.0.0.1"});
    CHECK(loopback_addresses("::") == V{"::1"});
    CHECK(loopback_addresses("128.0.0.1").empty());
    CHECK(loopback_addresses("10.0.0.1").empty());
    CHECK(loopback_addresses("localhost.example.com").empty());
    CHECK(loopback_addresses("notlocalhost").empty());
    CHECK(loopback_addresses("::ffff:10.0.0.1").empty());
    CHECK(loopback_addresses("").empty());
}

TEST_CASE("parse_port and host_port") {
    CHECK(parse_port("5432") == 5432);
    CHECK(parse_port("65535") == 65535);
    CHECK_FALSE(parse_port("0"));
    CHECK_FALSE(parse_port("65536"));
    CHECK_FALSE(parse_port("54x"));
    CHECK_FALSE(parse_port(""));
    CHECK(host_port("127.0.0.1", 5432) == "127.0.0.1:5432");
    CHECK(host_port("::1", 5432) == "[::1]:5432");
}

TEST_CASE("pg_endpoint: loopback host, hostaddr first, Unix socket directory, others none") {
    auto e = pg_endpoint(pg("localhost", "15432"));
    REQUIRE(e);
    CHECK(e->type == Endpoint::Type::tcp);
    CHECK(e->port == 15432);
    CHECK(e->addresses == std::vector<std::string>{"::1", "127.0.0.1"});
    CHECK(e->name == "localhost:15432");

    auto s = pg_endpoint(pg("/var/run/postgresql/", "5433"));
    REQUIRE(s);
    CHECK(s->type == Endpoint::Type::unix_socket);
    CHECK(s->path == "/var/run/postgresql/.s.PGSQL.5433");
    CHECK(s->name == s->path);

    // libpq connects to hostaddr, whatever host says.
    auto a = pg_endpoint(pg("db.prod.example.com", "5432", "127.0.0.1"));
    REQUIRE(a);
    CHECK(a->addresses == std::vector<std::string>{"127.0.0.1"});
    CHECK_FALSE(pg_endpoint(pg("localhost", "5432", "10.1.1.1")));

    CHECK_FALSE(pg_endpoint(pg("db.prod.example.com")));
    CHECK_FALSE(pg_endpoint(pg("localhost", "notaport")));
    Target broken = pg("localhost");
    broken.problems.push_back("libpq: service not found");
    CHECK_FALSE(pg_endpoint(broken));
    CHECK(pg_endpoint(pg("[::1]", "6000"))->name == "[::1]:6000");
}

TEST_CASE("kube_endpoint: the API server URL on loopback, default ports") {
    auto e = kube_endpoint(kube("https://127.0.0.1:6443"));
    REQUIRE(e);
    CHECK(e->port == 6443);
    CHECK(e->name == "127.0.0.1:6443");
    CHECK(kube_endpoint(kube("https://localhost"))->port == 443);
    CHECK(kube_endpoint(kube("http://localhost/api"))->port == 80);
    CHECK(kube_endpoint(kube("https://[::1]:8443/x"))->addresses == std::vector<std::string>{"::1"});
    CHECK(kube_endpoint(kube("http://user@127.0.0.1:8001"))->port == 8001);
    CHECK_FALSE(kube_endpoint(kube("https://10.0.0.1:6443")));
    CHECK_FALSE(kube_endpoint(kube("unix:///tmp/x")));
    CHECK_FALSE(kube_endpoint(kube("127.0.0.1:6443")));
    CHECK_FALSE(kube_endpoint(kube("https://[::1")));
}
