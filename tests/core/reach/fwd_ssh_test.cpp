#include <doctest/doctest.h>

#include "sentinel/core/reach/forwarder.hpp"

using namespace sentinel;
using Args = std::vector<std::string>;

TEST_CASE("ssh -L: the forward listening here, the destination, the options ssh -G needs") {
    Forward f = recognise({"ssh", "-fN", "-L", "15432:db.prod.internal:5432", "-L6000:other:6000", "-p", "2222",
                           "-o", "ProxyCommand=nc CANARY %h %p", "-i", "/k/id", "alice@bastion.prod.example.com"},
                          15432, "");
    CHECK(f.goal == Forward::Goal::remote);
    CHECK(f.kind == "ssh");
    CHECK(f.get("remote_host") == "db.prod.internal");
    CHECK(f.get("remote_port") == "5432");
    CHECK(f.get("ssh_host") == "bastion.prod.example.com");
    CHECK(f.get("ssh_user") == "alice");
    CHECK(f.get("ssh_port") == "2222");
    CHECK(f.problems.empty());
    CHECK(f.ssh_args == Args{"-L", "15432:db.prod.internal:5432", "-L", "6000:other:6000", "-p", "2222", "-o",
                             "ProxyCommand=nc CANARY %h %p", "--", "alice@bastion.prod.example.com"});
    // The summary holds what was understood, never the options.
    CHECK(f.command == "ssh alice@bastion.prod.example.com -L 15432:db.prod.internal:5432");
}

TEST_CASE("ssh: forms of -L, options after the destination, ssh:// URIs, LocalForward options") {
    Forward a = recognise({"ssh", "bastion", "-L", "127.0.0.1:7000:[::1]:7001", "-N"}, 7000, "");
    CHECK(a.get("remote_host") == "::1");
    CHECK(a.get("remote_port") == "7001");
    Forward b = recognise({"ssh", "-L", "/tmp/pg.sock:db:5432", "h"}, 0, "/tmp/pg.sock");
    CHECK(b.get("remote_host") == "db");
    Forward c = recognise({"ssh", "-L", "5433:/var/run/postgresql/.s.PGSQL.5432", "h"}, 5433, "");
    CHECK(c.get("remote_socket") == "/var/run/postgresql/.s.PGSQL.5432");
    Forward d = recognise({"ssh", "ssh://bob@jump.example:2200", "-L", "1:x:2"}, 1, "");
    CHECK(d.get("ssh_host") == "jump.example");
    CHECK(d.get("ssh_user") == "bob");
    CHECK(d.get("ssh_port") == "2200");
    Forward e = recognise({"ssh", "-o", "LocalForward=15000 db:5432", "h"}, 15000, "");
    CHECK(e.get("remote_host") == "db");
    Forward g = recognise({"ssh", "-oLocalForward 15001 db2:5432", "h"}, 15001, "");
    CHECK(g.get("remote_host") == "db2");
    // The words after the destination are the remote command, not options.
    Forward r = recognise({"ssh", "-L", "1:x:2", "h", "echo", "-L", "9:y:9"}, 9, "");
    CHECK(r.problems.front() == "no -L forward of this ssh listens here");
    CHECK(recognise({"ssh", "-N"}, 1, "").problems.front() == "ssh without a destination");
}

TEST_CASE("apply_ssh_config: effective host, user, port, and LocalForward from the configuration") {
    Forward f = recognise({"ssh", "-N", "prod-tunnel"}, 15432, "");
    CHECK_FALSE(f.problems.empty());  // the forward comes from ~/.ssh/config
    apply_ssh_config(f,
                     "host prod-tunnel\nuser deploy\nhostname bastion.prod.example.com\nport 22\n"
                     "localforward 6000 [elsewhere]:6000\nlocalforward 15432 [db.prod]:5432\n",
                     15432, "");
    CHECK(f.problems.empty());
    CHECK(f.get("ssh_host") == "prod-tunnel");
    CHECK(f.get("ssh_hostname") == "bastion.prod.example.com");
    CHECK(f.get("ssh_user") == "deploy");
    CHECK(f.get("remote_host") == "db.prod");
    CHECK(f.get("remote_port") == "5432");
    Forward u = recognise({"ssh", "-N", "h"}, 0, "/tmp/s");
    apply_ssh_config(u, "localforward /tmp/s /var/run/postgresql/.s.PGSQL.5432\r\n", 0, "/tmp/s");
    CHECK(u.get("remote_socket") == "/var/run/postgresql/.s.PGSQL.5432");
    Forward v = recognise({"ssh", "-N", "h"}, 0, "");
    apply_ssh_config(v, "localforward [127.0.0.1]:7 [::1]:8\n", 7, "");
    CHECK(v.get("remote_host") == "::1");
}
