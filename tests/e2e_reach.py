#!/usr/bin/env python3
"""End-to-end: what a localhost target really reaches (issue 11, BAD_INPUTS
rows 32 and 38), with real forwarders in front of a second PostgreSQL 15
server that the rules classify as production (it listens on 127.0.0.2, and
`[[rules]] host = "127.0.0.2"` says production):

- `ssh -L` through a real sshd started here, socat, pgbouncer (as the
  postgres user, private ini), and a program named kubectl on PATH run as
  `kubectl port-forward --context prod-eu svc/orders-db PORT:5432` that
  forwards to the production server: `sentinel status` shows production with
  the chain (plain, prompt, JSON, explain), and `sentinel guard -- psql -c
  "DELETE FROM users"` without a terminal refuses (77) and the 12,000 rows
  stay; the audit record names the route; on a 40x160 pseudo-terminal the
  guard's banner shows the chain and a wrong answer refuses;
- a real local PostgreSQL server on loopback, run by the postgres user,
  stays local (by TCP and by its Unix socket);
- nothing listening: the rule's tier stays, with a warning;
- as an unprivileged user (daemon), a socat started by nobody is unknown;
- canaries in a forwarder's argv, environment, ssh options and pgbouncer
  ini never appear in any output, the audit log, the agent's log or its
  frames;
- the agent's prompt segment shows the chain.

Needs root (sshd, runuser), PostgreSQL 15, socat, pgbouncer, ssh, sshd;
skips (testlib.skip) when one is missing.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pg_cluster  # noqa: E402
from forwarders import Procs, require_programs, require_root  # noqa: E402
from pg_cluster import require_postgres  # noqa: E402
from testlib import BIN, expect, run_check, run_no_tty, run_pty, summary  # noqa: E402

ARROW = "\u2192"
CANARIES = ("CANARYargv", "CANARYenv", "CANARYssh", "CANARYini", "CANARYsocat")
KUBECONFIG = """current-context: dev
contexts:
- name: prod-eu
  context: {cluster: prod-eu, user: admin, namespace: orders}
- name: dev
  context: {cluster: dev, user: admin}
clusters:
- name: prod-eu
  cluster: {server: 'https://10.0.0.1:6443'}
- name: dev
  cluster: {server: 'https://10.0.0.2:6443'}
users:
- name: admin
  user: {token: CANARYenv-kubeconfig}
"""


def setup_users(c):
    c.create_database("app")
    c.sql("CREATE TABLE users (id serial PRIMARY KEY, name text)",
          "INSERT INTO users (name) SELECT 'u' || g FROM generate_series(1, 12000) g", dbname="app")


def count(c):
    return int(c.sql("SELECT count(*) FROM users", dbname="app").strip())


def main():
    require_root("sshd, runuser")
    require_postgres()
    require_programs("socat", "pgbouncer", "ssh", "sshd", "ssh-keygen", "runuser")
    tmp = tempfile.mkdtemp(prefix="sentinel-reach-")
    os.chmod(tmp, 0o755)
    procs = Procs(tmp)
    prod = pg_cluster.PgCluster("reach-prod", extra_conf={"listen_addresses": "'127.0.0.2'"})
    local = pg_cluster.PgCluster("reach-local")
    try:
        prod.start()
        local.start()
        with open(os.path.join(prod.datadir, "pg_hba.conf"), "a") as f:
            f.write("host all all 127.0.0.0/8 trust\n")
        prod.sql("SELECT pg_reload_conf()")
        for c in (prod, local):
            setup_users(c)
        return run(tmp, procs, prod, local)
    finally:
        procs.close()
        prod.stop()
        local.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def run(tmp, procs, prod, local):
    home = os.path.join(tmp, "home")
    config_dir = os.path.join(tmp, "config", "sentinel")
    os.makedirs(home)
    os.makedirs(config_dir)
    with open(os.path.join(config_dir, "config.toml"), "w") as f:
        f.write('[[rules]]\ntier = "production"\nkind = "pg"\nhost = "127.0.0.2"\n')
    kubeconfig = os.path.join(tmp, "kubeconfig")
    with open(kubeconfig, "w") as f:
        f.write(KUBECONFIG)
    psql = os.path.join(prod.bindir, "psql")
    target = "127.0.0.2:%d" % prod.port

    def env(port, host="localhost", **extra):
        e = {"PATH": prod.bindir + ":/usr/bin:/bin:/usr/sbin", "HOME": home, "LANG": "C.UTF-8",
             "XDG_CONFIG_HOME": os.path.join(tmp, "config"), "XDG_STATE_HOME": os.path.join(tmp, "state"),
             "XDG_CACHE_HOME": os.path.join(tmp, "cache"), "SENTINEL_SYSTEM_CONFIG": os.path.join(tmp, "none"),
             "PGHOST": host, "PGPORT": str(port), "PGDATABASE": "app", "PGUSER": "postgres",
             "PGCONNECT_TIMEOUT": "10"}
        e.update(extra)
        return e

    def sentinel(*args, **kw):
        code, out, err = run_no_tty([BIN, *args], kw.pop("env"))
        outputs.append(out + err)
        return code, out, err

    outputs = []  # everything sentinel printed, for the canaries
    ports = {}
    sshd = procs.sshd()
    ports["ssh"] = pg_cluster.free_port()
    procs.ssh_forward(sshd, ports["ssh"], target, extra=("-o", "SetEnv=TOKEN=CANARYssh"))
    ports["socat"] = pg_cluster.free_port()
    procs.socat(ports["socat"], target, options=("-lp", "CANARYsocat"))
    ports["pgbouncer"] = pg_cluster.free_port()
    procs.pgbouncer(ports["pgbouncer"],
                    ["app = host=127.0.0.2 port=%d dbname=app user=postgres password=CANARYini" % prod.port])
    ports["kubectl"] = pg_cluster.free_port()
    procs.fake_kubectl(os.path.join(tmp, "bin"),
                       ["port-forward", "--context", "prod-eu", "--token=CANARYargv", "svc/orders-db",
                        "%d:5432" % ports["kubectl"]],
                       target, {"PATH": "/usr/bin:/bin", "KUBECONFIG": kubeconfig, "HOME": home,
                                "PGPASSWORD": "CANARYenv", "API_TOKEN": "CANARYenv"})
    chains = {
        "ssh": "ssh 127.0.0.1 %s %s" % (ARROW, target),
        "socat": "socat %s %s" % (ARROW, target),
        "pgbouncer": "pgbouncer app %s %s/app" % (ARROW, target),
        "kubectl": "kubectl port-forward svc/orders-db (context prod-eu) %s PROD" % ARROW,
    }

    for name in ("ssh", "socat", "pgbouncer", "kubectl"):
        port = ports[name]

        def status(name=name, port=port):
            code, out, err = sentinel("status", env=env(port))
            expect(code == 0, "exit %d %s" % (code, err))
            expect(out.startswith("tier: PROD (production)"), out)
            expect("reaches app@localhost:%d %s %s" % (port, ARROW, chains[name]) in out, out)
            code, out, err = sentinel("status", "--format=prompt", env=env(port))
            expect(out.startswith("PROD app@localhost:%d %s %s" % (port, ARROW, chains[name])), out)
            code, out, err = sentinel("status", "--json", env=env(port))
            t = json.loads(out)["targets"][0]
            expect(t["tier"] == "production" and t["via"][0]["pid"] > 0, out)
            code, out, err = sentinel("explain", env=env(port))
            expect("reaches   app@localhost:%d %s %s" % (port, ARROW, chains[name]) in out, out)
            expect("  via %s" % name in out and "(pid " in out, out)
        run_check("%s: status shows production with the chain" % name, status)

        def guard(name=name, port=port):
            code, out, err = sentinel("guard", "--", psql, "-X", "-c", "DELETE FROM users", env=env(port))
            expect(code == 77, "exit %d: %s" % (code, err))
            expect("production" in err, err)
            expect(count(prod) == 12000, "rows deleted: %d left" % count(prod))
            # `sentinel audit --json` prints the record as stored.
            with open(os.path.join(tmp, "state", "sentinel", "audit.jsonl")) as f:
                stored = f.read().splitlines()[-1]
            out = sentinel("audit", "--json", "--lines", "1", env=env(port))[1].strip()
            expect(out == stored, "audit --json %r, stored %r" % (out, stored))
            record = json.loads(out)
            expect(record["decision"] == "refused" and record["tier"] == "production", out)
            expect(record["fields"]["via"].startswith("app@localhost:%d %s %s" % (port, ARROW, chains[name])), out)
            expect(name != "pgbouncer" or "declares no tier" in record["fields"]["server"], out)
        run_check("%s: the guard refuses the 12,000-row DELETE without a terminal" % name, guard)

        def banner(name=name, port=port):
            code, shown = run_pty([BIN, "guard", "--", psql, "-X", "-c", "DELETE FROM users"], env(port),
                                  [("expect", "to go ahead"), ("send", b"no\n")])
            outputs.append(shown)
            expect(code == 77, "wrong answer: exit %d\n%s" % (code, shown))
            expect("reaches app@localhost:%d %s %s" % (port, ARROW, chains[name]) in shown, "banner:\n" + shown)
            expect(count(prod) == 12000, "rows deleted: %d left" % count(prod))
        run_check("%s: the guard's banner on a 40x160 terminal shows the chain" % name, banner)

    def local_server():
        for host in ("localhost", local.socket_dir):
            code, out, err = sentinel("status", env=env(local.port, host=host))
            expect(out.startswith("tier: LOCAL (local)"), out)
            expect("%s postgres %s LOCAL" % (ARROW, ARROW) in out, out)
        code, out, err = sentinel("guard", "--", psql, "-X", "-At", "-c", "DELETE FROM users WHERE id = 1",
                                  env=env(local.port))
        expect(code == 0 and count(local) == 11999, "local DELETE: exit %d %s" % (code, err))
    run_check("a real local PostgreSQL server run by postgres stays local", local_server)

    def nothing_listening():
        port = pg_cluster.free_port()
        code, out, err = sentinel("status", env=env(port))
        expect(out.startswith("tier: LOCAL (local)"), out)
        expect("warning: pg: nothing listens on localhost:%d (its rule's tier stays)" % port in out, out)
    run_check("nothing listening: the rule's tier stays, with a warning", nothing_listening)

    def other_uid():
        port = pg_cluster.free_port()
        procs.socat(port, target, user="nobody")
        # The binary where the unprivileged user can run it.
        bin_dir = os.path.join(tmp, "daemon-bin")
        os.makedirs(bin_dir, exist_ok=True)
        shutil.copy(BIN, os.path.join(bin_dir, "sentinel"))
        daemon_home = os.path.join(tmp, "daemon-home")
        os.makedirs(daemon_home, exist_ok=True)
        shutil.chown(daemon_home, "daemon")
        e = env(port, HOME=daemon_home, XDG_CONFIG_HOME=os.path.join(tmp, "config"),
                XDG_CACHE_HOME=os.path.join(daemon_home, "cache"), XDG_STATE_HOME=os.path.join(daemon_home, "state"))
        code, out, err = run_no_tty(["runuser", "-u", "daemon", "--", os.path.join(bin_dir, "sentinel"), "status"], e)
        outputs.append(out + err)
        expect(out.startswith("tier: UNKNOWN (unknown)"), out + err)
        expect("a process of uid 65534 you cannot see" in out, out)
        expect("its /proc entries are closed to you" in out or "UNKNOWN" in out, out)
    run_check("as an unprivileged user, a listener of another uid is unknown", other_uid)

    def agent_prompt():
        run_dir = os.path.join(tmp, "run")
        os.makedirs(run_dir, mode=0o700)
        log = os.path.join(tmp, "agent.log")
        agent = subprocess.Popen([BIN, "agent", "--foreground", "--log-file", log],
                                 env=env(0, XDG_RUNTIME_DIR=run_dir), stderr=subprocess.DEVNULL)
        try:
            from e2e_agent_security import Client
            sock = os.path.join(run_dir, "sentinel", "agent.sock")
            end = time.time() + 5
            while not os.path.exists(sock) and time.time() < end:
                time.sleep(0.02)
            c = Client(sock)
            c.send("REGISTER", str(os.getpid()), "bash", "", "", "", tmp)
            expect(c.frame(5)[0] == "REGISTERED", "no REGISTERED")
            variables = ["%s=%s" % (k, v) for k, v in env(ports["kubectl"]).items() if k != "PATH"]
            c.send("REPORT", tmp, *variables)
            c.send("PROMPT", "1", "")
            frame = c.frame(10)
            while frame and frame[0] != "STATE":
                frame = c.frame(10)
            outputs.append("\t".join(frame or []))
            expect(frame and frame[3] == "production", frame)
            expect(chains["kubectl"] in frame[5], frame)
            c.close()
        finally:
            agent.terminate()
            agent.wait(5)
        with open(log) as f:
            outputs.append(f.read())
    run_check("the agent's prompt segment shows the chain", agent_prompt)

    def canaries():
        with open(os.path.join(tmp, "state", "sentinel", "audit.jsonl")) as f:
            outputs.append(f.read())
        text = "\n".join(outputs)
        for canary in CANARIES:
            expect(canary not in text, "%s printed" % canary)
        expect(len(text) > 1000, "nothing was captured")
    run_check("secrets of the forwarders appear in no output, audit record, log or frame", canaries)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
