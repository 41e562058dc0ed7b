#include "sentinel/core/reach/trace.hpp"

#include <doctest/doctest.h>

#include "sentinel/core/display/format.hpp"
#include "sentinel/core/display/model.hpp"
#include "sentinel/core/snapshot.hpp"
#include "tests/fake_fs.hpp"
#include "tests/fake_listeners.hpp"

using namespace sentinel;
using sentinel::test::FakeFs;
using sentinel::test::FakeListeners;
using sentinel::test::process;

namespace {

const char* const kKubeconfig =
    "current-context: kind-local\n"
    "contexts:\n"
    "- name: prod-eu\n"
    "  context: {cluster: prod-eu, user: admin, namespace: orders}\n"
    "- name: kind-local\n"
    "  context: {cluster: kind, user: admin}\n"
    "- name: proxied\n"
    "  context: {cluster: proxied, user: admin}\n"
    "clusters:\n"
    "- name: prod-eu\n"
    "  cluster: {server: 'https://10.0.0.1:6443'}\n"
    "- name: kind\n"
    "  cluster: {server: 'https://127.0.0.1:34567'}\n"
    "- name: proxied\n"
    "  cluster: {server: 'http://127.0.0.1:8001'}\n"
    "users:\n"
    "- name: admin\n"
    "  user: {token: CANARY-kubeconfig-token}\n";

Vars pg_vars(const std::string& host, const std::string& port, const std::string& dbname = "orders") {
    return {{"HOME", "/home/u"}, {"PGHOST", host}, {"PGPORT", port}, {"PGDATABASE", dbname}, {"PGUSER", "app"}};
}

FakeFs files(const std::string& config = "") {
    FakeFs fs;
    fs.file("/k/config", kKubeconfig);
    if (!config.empty()) fs.file("/home/u/.config/sentinel/config.toml", config);
    return fs;
}

Listener kubectl_forward(std::vector<std::string> argv, Vars env = {{"KUBECONFIG", "/k/config"}}) {
    Listener l = process(std::move(argv), 4242);
    l.env = std::move(env);
    return l;
}

const Target& pg_of(const Snapshot& s) {
    for (const Target& t : s.targets)
        if (t.kind == Kind::pg) return t;
    FAIL("no pg target");
    return s.targets.front();
}

Snapshot eval(const Vars& vars, const FakeFs& fs, const FakeListeners& listeners) {
    return evaluate(vars, fs, {}, nullptr, {}, &listeners);
}

bool has_warning(const Snapshot& s, const std::string& text) {
    for (const std::string& w : s.warnings)
        if (w.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("trace: kubectl port-forward reaches its own context, resolved from its KUBECONFIG") {
    FakeListeners l;
    l.on(15433, kubectl_forward({"kubectl", "port-forward", "--context", "prod-eu", "svc/orders-db", "15433:5432"}));
    Snapshot s = eval(pg_vars("localhost", "15433"), files(), l);
    const Target& t = pg_of(s);
    CHECK(t.tier.name() == "production");
    CHECK(s.tier.name() == "production");
    REQUIRE(t.via.size() == 1);
    const Hop& h = t.via[0];
    CHECK(h.kind == "kubectl port-forward");
    CHECK(h.pid == 4242);
    CHECK(h.get("context") == "prod-eu");
    CHECK(h.get("cluster") == "prod-eu");
    CHECK(h.get("namespace") == "orders");
    CHECK(h.get("resource") == "svc/orders-db");
    CHECK(h.tier.name() == "production");
    CHECK(t.rule.rfind("through kubectl port-forward (pid 4242): built-in: production names", 0) == 0);
    CHECK(format_prompt(make_display(s), false) ==
          "PROD orders@localhost:15433 \u2192 kubectl port-forward svc/orders-db (context prod-eu) \u2192 PROD");
}

TEST_CASE("trace: the forwarder's relative KUBECONFIG and --kubeconfig are its own directory's") {
    FakeListeners rel;
    Listener fwd = kubectl_forward({"kubectl", "port-forward", "--context", "prod-eu", "svc/db", "15433:5432"},
                                   {{"KUBECONFIG", "config"}});
    fwd.cwd = "/k";
    rel.on(15433, fwd);
    CHECK(pg_of(eval(pg_vars("localhost", "15433"), files(), rel)).tier.name() == "production");

    FakeListeners flag;
    Listener f2 = process({"kubectl", "--kubeconfig", "config", "port-forward", "--context", "prod-eu", "svc/db", "1:2"});
    f2.env_known = false;  // --kubeconfig alone is enough
    f2.cwd = "/k";
    flag.on(15433, f2);
    CHECK(pg_of(eval(pg_vars("localhost", "15433"), files(), flag)).tier.name() == "production");
}

TEST_CASE("trace: a forwarder whose environment cannot be read is unknown") {
    FakeListeners l;
    Listener f = process({"kubectl", "port-forward", "svc/db", "15433:5432"});
    f.env_known = false;
    l.on(15433, f);
    const Target t = pg_of(eval(pg_vars("localhost", "15433"), files(), l));
    CHECK(t.tier.name() == "unknown");
    CHECK(t.via[0].problems.front() == "its environment (KUBECONFIG) cannot be read");
}

TEST_CASE("trace: a PostgreSQL server is local; nothing listening keeps the tier with a warning") {
    FakeListeners l;
    l.on(5432, process({"/usr/lib/postgresql/15/bin/postgres", "-D", "/var/lib/postgresql/15/main"}, 900, 5, 101));
    Snapshot s = eval(pg_vars("localhost", "5432"), files(), l);
    CHECK(pg_of(s).tier.name() == "local");
    CHECK(pg_of(s).via[0].kind == "postgres");
    CHECK(pg_of(s).rule == "built-in: local PostgreSQL (Unix socket, localhost)");
    CHECK(s.warnings.empty());

    Snapshot none = eval(pg_vars("localhost", "15999"), files(), l);
    CHECK(pg_of(none).tier.name() == "local");
    CHECK(pg_of(none).via.empty());
    CHECK(has_warning(none, "pg: nothing listens on localhost:15999 (its rule's tier stays)"));

    // A host that is not on this machine is not traced at all.
    int before = l.lookups;
    CHECK(pg_of(eval(pg_vars("db.example.com", "5432"), files(), l)).via.empty());
    CHECK(l.lookups == before);
}

TEST_CASE("trace: socat to a production host, and chains of forwarders on this machine") {
    FakeListeners l;
    l.on(15432, process({"socat", "TCP-LISTEN:15432,fork", "TCP:db.prod.example.com:5432"}, 10, 1));
    const Target direct = pg_of(eval(pg_vars("127.0.0.1", "15432"), files(), l));
    CHECK(direct.tier.name() == "production");
    CHECK(direct.via[0].get("remote_host") == "db.prod.example.com");

    // socat -> pgbouncer -> port-forward to production: three hops.
    FakeListeners chain;
    chain.on(1000, process({"socat", "TCP-LISTEN:1000", "TCP:127.0.0.1:2000"}, 11, 101));
    Listener bouncer = process({"pgbouncer", "bouncer.ini"}, 12, 102);
    bouncer.cwd = "/etc/pgb";
    chain.on(2000, bouncer);
    chain.on(3000, kubectl_forward({"kubectl", "port-forward", "--context", "prod-eu", "svc/db", "3000:5432"}));
    FakeFs fs = files();
    fs.file("/etc/pgb/bouncer.ini", "[databases]\norders = host=127.0.0.1 port=3000 dbname=orders\n");
    const Target t = pg_of(eval(pg_vars("localhost", "1000"), fs, chain));
    REQUIRE(t.via.size() == 3);
    CHECK(t.via[0].kind == "socat");
    CHECK(t.via[0].tier.name() == "local");
    CHECK(t.via[1].kind == "pgbouncer");
    CHECK(t.via[2].kind == "kubectl port-forward");
    CHECK(t.tier.name() == "production");
    CHECK(t.rule.rfind("through kubectl port-forward (pid 4242)", 0) == 0);
}

TEST_CASE("trace: loops and over-long chains end in an unknown hop") {
    FakeListeners loop;
    loop.on(1, process({"socat", "TCP-L:1", "TCP:127.0.0.1:2"}, 1, 501));
    loop.on(2, process({"socat", "TCP-L:2", "TCP:127.0.0.1:1"}, 2, 502));
    const Target t = pg_of(eval(pg_vars("localhost", "1"), files(), loop));
    CHECK(t.tier.name() == "unknown");
    CHECK(t.via.back().problems.front() == "a forwarding loop");

    FakeListeners deep;
    for (int p = 1; p <= 6; ++p)
        deep.on(p, process({"socat", "TCP-L:" + std::to_string(p), "TCP:127.0.0.1:" + std::to_string(p + 1)}, p,
                           static_cast<std::uint64_t>(600 + p)));
    const Target d = pg_of(eval(pg_vars("localhost", "1"), files(), deep));
    CHECK(d.tier.name() == "unknown");
    CHECK(d.via.size() == kMaxHops + 1);
    CHECK(d.via.back().problems.front() == "more than 4 forwarders in a row");
}

TEST_CASE("trace: a listener that cannot be seen is unknown, unless its owner runs only PostgreSQL") {
    Listener hidden;
    hidden.seen = Listener::Seen::hidden;
    hidden.uid = 65534;
    hidden.inode = 31;
    hidden.owner_commands = {{77, {"socat", "TCP-LISTEN:15432", "TCP:127.0.0.1:5432"}}};
    hidden.owner_commands_complete = true;
    FakeListeners l;
    l.on(15432, hidden);
    const Target t = pg_of(eval(pg_vars("localhost", "15432"), files(), l));
    CHECK(t.tier.name() == "unknown");
    CHECK(t.via[0].problems.front() ==
          "the listening process (uid 65534) cannot be seen: its /proc entries are closed to you");

    Listener pg = hidden;
    pg.uid = 101;
    pg.owner_commands = {{500, {"/usr/lib/postgresql/15/bin/postgres", "-D", "/var/lib/postgresql/15/main"}},
                         {501, {"postgres: 15/main: checkpointer"}}};
    FakeListeners pl;
    pl.on(5432, pg);
    CHECK(pg_of(eval(pg_vars("localhost", "5432"), files(), pl)).tier.name() == "local");
    pg.owner_commands_complete = false;  // some process of that user could not be read
    FakeListeners incomplete;
    incomplete.on(5432, pg);
    CHECK(pg_of(eval(pg_vars("localhost", "5432"), files(), incomplete)).tier.name() == "unknown");

    Listener docker = hidden;
    docker.uid = 0;
    docker.owner_commands = {{1, {"/sbin/init"}},
                             {300, {"/usr/bin/docker-proxy", "-proto", "tcp", "-host-ip", "127.0.0.1", "-host-port",
                                    "15432", "-container-ip", "172.17.0.2", "-container-port", "5432"}}};
    docker.owner_commands_complete = false;
    FakeListeners dl;
    dl.on(15432, docker);
    const Target c = pg_of(eval(pg_vars("localhost", "15432"), files(), dl));
    CHECK(c.tier.name() == "local");
    CHECK(c.via[0].kind == "docker-proxy");
}

TEST_CASE("trace: no visible holder, unreadable tables: unknown") {
    Listener orphan;
    orphan.seen = Listener::Seen::orphan;
    orphan.inode = 8;
    FakeListeners l;
    l.on(2024, orphan);
    CHECK(pg_of(eval(pg_vars("localhost", "2024"), files(), l)).tier.name() == "unknown");
    FakeListeners broken;
    broken.fail("Operation not permitted");
    const Target t = pg_of(eval(pg_vars("localhost", "5432"), files(), broken));
    CHECK(t.tier.name() == "unknown");
    CHECK(t.via[0].problems.front() == "the listening sockets cannot be read: Operation not permitted");
}

TEST_CASE("trace: several listeners answering: the most dangerous counts, with a warning") {
    FakeListeners l;
    l.on(5432, process({"postgres", "-D", "/d"}, 1, 1));
    Listener other = process({"socat", "TCP6-LISTEN:5432", "TCP:db.prod:5432"}, 2, 2);
    other.listen = "[::1]:5432";
    l.on(5432, other);
    Snapshot s = eval(pg_vars("localhost", "5432"), files(), l);
    CHECK(pg_of(s).tier.name() == "production");
    CHECK(pg_of(s).via[0].kind == "socat");
    CHECK(has_warning(s, "2 sockets answer on localhost:5432"));
}

TEST_CASE("trace: ssh asks ssh -G; a remote loopback is the ssh server itself") {
    FakeListeners l;
    Listener ssh = process({"ssh", "-N", "-L", "15432:localhost:5432", "prod-box"}, 50, 50);
    ssh.cwd = "/home/u/work";
    l.on(15432, ssh).ssh("user u\nhostname box.prod.example.com\nport 22\n");
    const Target t = pg_of(eval(pg_vars("localhost", "15432"), files(), l));
    CHECK(l.ssh_cwd == "/home/u/work");
    CHECK(l.ssh_args.back() == "prod-box");
    CHECK(t.via[0].get("ssh_hostname") == "box.prod.example.com");
    CHECK(t.tier.name() == "production");  // host box.prod.example.com

    // ssh -G missing: the command line alone, and a warning.
    FakeListeners n;
    n.on(15432, process({"ssh", "-N", "-L", "15432:10.1.2.3:5432", "bastion"}, 51, 51)).ssh("", false);
    Snapshot s = eval(pg_vars("localhost", "15432"), files(), n);
    CHECK(pg_of(s).via[0].get("remote_host") == "10.1.2.3");
    CHECK(pg_of(s).tier.name() == "unknown");  // 10.1.2.3 matches no rule
    CHECK(has_warning(s, "ssh (pid 51): ssh -G: ssh: not found"));

    // ssh to this machine: its remote loopback is traced here.
    FakeListeners here;
    here.on(15432, process({"ssh", "-N", "-L", "15432:127.0.0.2:5433", "-p", "2222", "root@127.0.0.1"}, 52, 52))
        .ssh("hostname 127.0.0.1\nport 2222\n");
    here.on(5433, process({"socat", "TCP-L:5433", "TCP:db.prod:5432"}, 53, 53));
    const Target h = pg_of(eval(pg_vars("localhost", "15432"), files(), here));
    REQUIRE(h.via.size() == 2);
    CHECK(h.tier.name() == "production");
}

TEST_CASE("trace: rules may test what is reached: via, ssh_host, instance") {
    const char* config =
        "[[rules]]\ntier = \"production\"\nvia = \"ssh\"\nssh_host = \"*.prod.*\"\n\n"
        "[[rules]]\ntier = \"development\"\ninstance = \"acme-dev:*\"\n\n"
        "[[rules]]\ntier = \"staging\"\nvia = \"socat\"\n";
    FakeListeners l;
    l.on(1, process({"ssh", "-N", "-L", "1:10.9.9.9:5432", "jump.prod.example"}, 1, 1)).ssh("", false);
    l.on(2, process({"cloud-sql-proxy", "--port", "2", "acme-dev:eu:scratch"}, 2, 2));
    l.on(3, process({"cloud-sql-proxy", "--port", "3", "acme-prod:eu:orders"}, 3, 3));
    l.on(4, process({"socat", "TCP-L:4", "TCP:10.1.1.1:5432"}, 4, 4));
    CHECK(pg_of(eval(pg_vars("localhost", "1"), files(config), l)).tier.name() == "production");
    CHECK(pg_of(eval(pg_vars("localhost", "2"), files(config), l)).tier.name() == "development");
    CHECK(pg_of(eval(pg_vars("localhost", "3"), files(config), l)).tier.name() == "production");  // "prod" in the instance
    CHECK(pg_of(eval(pg_vars("localhost", "4"), files(config), l)).tier.name() == "staging");
}

TEST_CASE("trace: a kube API server on loopback: kubectl proxy, docker-proxy (kind)") {
    Vars vars = {{"HOME", "/home/u"}, {"KUBECONFIG", "/k/config"}};
    FakeListeners l;
    l.on(8001, kubectl_forward({"kubectl", "proxy", "--context", "prod-eu"}));
    Snapshot s = evaluate(vars, files(), {"kubectl", "--context", "proxied", "delete", "pod", "x"}, nullptr, {}, &l);
    REQUIRE(s.targets.size() == 1);
    CHECK(s.targets[0].tier.name() == "production");
    CHECK(s.targets[0].via[0].kind == "kubectl proxy");

    Listener docker = process({"/usr/bin/docker-proxy", "-proto", "tcp", "-host-ip", "127.0.0.1", "-host-port",
                               "34567", "-container-ip", "172.18.0.2", "-container-port", "6443"},
                              9, 9, 0);
    l.on(34567, docker);
    Snapshot kind = evaluate(vars, files(), {"kubectl", "get", "pods"}, nullptr, {}, &l);
    CHECK(kind.targets[0].tier.name() == "local");
    CHECK(kind.targets[0].via[0].kind == "docker-proxy");

    // A loopback API server behind ssh: the reached server URL.
    FakeListeners ssh;
    ssh.on(34567, process({"ssh", "-N", "-L", "34567:k8s-api.prod.example.com:6443", "bastion"}, 7, 7)).ssh("", false);
    Snapshot k = evaluate(vars, files(), {"kubectl", "get", "pods"}, nullptr, {}, &ssh);
    CHECK(k.targets[0].via[0].tier.name() == "production");
}

TEST_CASE("trace: a pg Unix socket is traced like a port") {
    FakeListeners l;
    l.on_path("/tmp/pgb/.s.PGSQL.6432", process({"socat", "UNIX-LISTEN:/tmp/pgb/.s.PGSQL.6432", "TCP:db.prod:5432"}));
    const Target t = pg_of(eval(pg_vars("/tmp/pgb", "6432"), files(), l));
    CHECK(t.tier.name() == "production");
    CHECK(t.via[0].listen == "/tmp/pgb/.s.PGSQL.6432");
}

TEST_CASE("trace: secrets in a forwarder's argv or environment appear nowhere") {
    FakeListeners l;
    Listener f = kubectl_forward({"kubectl", "--token=CANARY-argv", "port-forward", "--context", "prod-eu", "svc/db",
                                  "15433:5432"});
    l.on(15433, f);
    l.on(15434, process({"socat", "TCP-L:15434", "PROXY:p:db.prod:5432,proxyauth=u:CANARY-proxy"}, 5, 5));
    for (const char* port : {"15433", "15434"}) {
        Snapshot s = eval(pg_vars("localhost", port), files(), l);
        Display d = make_display(s);
        std::string all = format_json(s, d) + format_plain(s, d, true) + format_explain(s, d, true) + format_prompt(d, true);
        CHECK(all.find("CANARY") == std::string::npos);
        CHECK(s.tier.name() == "production");
    }
}

TEST_CASE("reached_target: pg fields from the remote side, the local dbname and user carried over") {
    Target local;
    local.kind = Kind::pg;
    local.set("dbname", "orders", "PGDATABASE");
    local.set("user", "app", "PGUSER");
    Forward f = recognise({"socat", "TCP-L:1", "UNIX-CONNECT:/run/pg/.s.PGSQL.5433"}, 1, "");
    Target t = reached_target(f, local);
    CHECK(t.get("host") == "/run/pg");
    CHECK(t.get("port") == "5433");
    CHECK(t.get("dbname") == "orders");
    CHECK(t.get("user") == "app");
    CHECK(t.get("via") == "socat");
}
