#include <doctest/doctest.h>

#include "sentinel/core/reach/forwarder.hpp"

using namespace sentinel;

TEST_CASE("cloud-sql-proxy v2: instances, --port counting up, ?port=, credentials skipped") {
    std::vector<std::string> argv = {"cloud-sql-proxy", "--credentials-file", "/k/CANARY.json", "--port", "6000",
                                     "acme-prod:europe-west1:orders", "acme-dev:us:scratch?port=7000",
                                     "acme-stg:eu:api"};
    CHECK(recognise(argv, 6000, "").get("instance") == "acme-prod:europe-west1:orders");
    CHECK(recognise(argv, 7000, "").get("instance") == "acme-dev:us:scratch");
    CHECK(recognise(argv, 6001, "").get("instance") == "acme-stg:eu:api");
    Forward none = recognise(argv, 6002, "");
    CHECK(none.goal == Forward::Goal::unknown);
    CHECK(none.problems.front() == "cloud-sql-proxy: no instance is served on this port");
    // One instance on the default port; the token flag's value is not an instance.
    Forward one = recognise({"cloud-sql-proxy", "-t", "CANARY", "p:r:i"}, 5432, "");
    CHECK(one.get("instance") == "p:r:i");
    CHECK(one.command == "cloud-sql-proxy p:r:i");
    Forward sock = recognise({"cloud-sql-proxy", "--unix-socket", "/cloudsql", "p:r:i", "p:r:j"}, 0, "/cloudsql/p:r:j/.s.PGSQL.5432");
    CHECK(sock.get("instance") == "p:r:j");
}

TEST_CASE("cloud_sql_proxy v1: -instances=NAME=tcp:[ADDR:]PORT") {
    std::vector<std::string> argv = {"/usr/local/bin/cloud_sql_proxy", "-credential_file=/k/CANARY",
                                     "-instances=acme-prod:eu:orders=tcp:5433,acme-dev:eu:x=tcp:0.0.0.0:5434"};
    Forward f = recognise(argv, 5433, "");
    CHECK(f.goal == Forward::Goal::remote);
    CHECK(f.get("instance") == "acme-prod:eu:orders");
    CHECK(recognise(argv, 5434, "").get("instance") == "acme-dev:eu:x");
    CHECK(recognise({"cloud_sql_proxy", "--instances", "a:b:c=tcp:1"}, 1, "").get("instance") == "a:b:c");
    CHECK(recognise({"cloud_sql_proxy"}, 1, "").problems.front() == "cloud_sql_proxy without an instance");
}
