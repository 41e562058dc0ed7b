#include "sentinel/core/reach/forwarder.hpp"

#include <doctest/doctest.h>

using namespace sentinel;
using Args = std::vector<std::string>;

TEST_CASE("program_of: the program, seeing through script interpreters") {
    auto p = program_of({"/usr/bin/python3", "-u", "/opt/bin/kubectl", "port-forward", "svc/x", "1:2"});
    CHECK(p.program == "kubectl");
    CHECK(p.args == Args{"port-forward", "svc/x", "1:2"});
    CHECK(program_of({"/bin/sh", "/usr/local/bin/cloud_sql_proxy", "-instances=a:b:c"}).program == "cloud_sql_proxy");
    CHECK(program_of({"python3.11", "fwd.py"}).program == "fwd.py");
    // -c and -m run no script file: the interpreter is the program.
    CHECK(program_of({"sh", "-c", "socat a b"}).program == "sh");
    CHECK(program_of({"python3", "-m", "http.server"}).program == "python3");
    CHECK(program_of({"/usr/bin/socat", "A", "B"}).program == "socat");
    CHECK(program_of({}).program.empty());
}

TEST_CASE("shell_words: quotes and escapes as a POSIX shell, no expansion") {
    CHECK(shell_words("ncat db.prod 5432") == Args{"ncat", "db.prod", "5432"});
    CHECK(shell_words("  a  'b c' \"d \\\"e\\\"\" f\\ g ") == Args{"a", "b c", "d \"e\"", "f g"});
    CHECK(shell_words("$(rm -rf ~)") == Args{"$(rm", "-rf", "~)"});
    CHECK(shell_words("").empty());
    CHECK(shell_words("'unterminated") == Args{"unterminated"});
}

TEST_CASE("recognise: a PostgreSQL server is local, with its data directory") {
    Forward f = recognise({"/usr/lib/postgresql/15/bin/postgres", "-D", "/var/lib/postgresql/15/main", "-c",
                           "config_file=/etc/postgresql/15/main/postgresql.conf"},
                          5432, "");
    CHECK(f.goal == Forward::Goal::local);
    CHECK(f.kind == "postgres");
    CHECK(f.get("data_directory") == "/var/lib/postgresql/15/main");
    CHECK(recognise({"postgres"}, 5432, "", "/srv/pgdata").get("data_directory") == "/srv/pgdata");
    CHECK(recognise({"/usr/lib/postgresql/15/bin/postgres", "-D/data"}, 5432, "").get("data_directory") == "/data");
    CHECK(is_postgres_command({"postgres: 15/main: checkpointer"}));
    CHECK(is_postgres_command({"/usr/lib/postgresql/15/bin/postmaster"}));
    CHECK_FALSE(is_postgres_command({"socat"}));
    CHECK_FALSE(is_postgres_command({}));
}

TEST_CASE("recognise: anything else is unknown, never local") {
    Forward f = recognise({"/usr/bin/python3", "-m", "http.server"}, 8000, "");
    CHECK(f.goal == Forward::Goal::unknown);
    CHECK(f.kind == "unknown");
    CHECK(f.command == "python3");
    REQUIRE(f.problems.size() == 1);
    CHECK(f.problems[0] == "not a recognised forwarder: python3");
    CHECK(recognise({}, 1, "").goal == Forward::Goal::unknown);
}

TEST_CASE("recognise: docker-proxy is local, with the container's address") {
    Forward f = recognise({"/usr/bin/docker-proxy", "-proto", "tcp", "-host-ip", "127.0.0.1", "-host-port", "34567",
                           "-container-ip", "172.18.0.2", "-container-port", "6443"},
                          34567, "");
    CHECK(f.goal == Forward::Goal::local);
    CHECK(f.get("container_ip") == "172.18.0.2");
    CHECK(f.get("container_port") == "6443");
    CHECK(f.command == "docker-proxy \u2192 172.18.0.2:6443");
}

TEST_CASE("Forward::set replaces a field") {
    Forward f;
    f.set("remote_host", "a");
    f.set("remote_host", "b", "ssh -G");
    REQUIRE(f.reached.size() == 1);
    CHECK(f.reached[0].value == "b");
    CHECK(f.reached[0].origin == "ssh -G");
}
