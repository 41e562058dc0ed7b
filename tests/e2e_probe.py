#!/usr/bin/env python3
"""End-to-end: the server's own word (issue 11, deliverables 3 and 4).

A PostgreSQL 15 server on 127.0.0.2 (the "production" one; no rule names it)
declares `sentinel.tier = 'production'` with ALTER SYSTEM:
- a service named dev-copy pointing at it is local by its name, production
  after `sentinel probe` (status reads the remembered answer) and in the
  guard, which probes before deciding with one connection (counted in the
  server's log) and refuses the DELETE without a terminal;
- a streaming replica of it (pg_basebackup, started here) is shown as a
  replica, and declares production too (the setting travels with the copy);
- with the declaration reset, `sentinel probe --pin production` appends an
  [[identity]] with its system identifier to a config.toml that keeps every
  byte it had; a service with another name, reached through socat, is then
  production in the guard;
- the agent with `probe_background = true` learns the declared tier by
  itself and repaints; a prompt does not wait for it.
A small HTTPS server answers the real kubectl for
/api/v1/namespaces/kube-system: `sentinel probe --kube` reads its UID (the
request carries kubectl's --request-timeout=3s); a context named kind-local
whose pinned kube-system UID is production is production (status and
guard); a `sentinel/tier` label declares the tier.

Needs root (runuser, pg_basebackup as postgres), PostgreSQL 15, socat,
kubectl and openssl; skips (testlib.skip) when one is missing.
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
from forwarders import KubeApi, Procs, require_programs, require_root  # noqa: E402
from pg_cluster import require_postgres  # noqa: E402
from testlib import BIN, expect, run_check, run_no_tty, summary  # noqa: E402

USER_CONFIG = "# my own settings, kept byte for byte\nenv = [\"APP_ENV\"]  # why: only this one\n\n" \
              "[tiers.staging]\ncolor = \"yellow\"\n"


class World:
    def __init__(self, tmp, prod):
        self.tmp = tmp
        self.prod = prod
        self.home = os.path.join(tmp, "home")
        os.makedirs(self.home)
        self.config = os.path.join(tmp, "config", "sentinel", "config.toml")
        os.makedirs(os.path.dirname(self.config))
        with open(self.config, "w") as f:
            f.write(USER_CONFIG)
        self.services = os.path.join(tmp, "pg_service.conf")
        self.kubeconfig = os.path.join(tmp, "kubeconfig")

    def env(self, **extra):
        e = {"PATH": self.prod.bindir + ":/usr/bin:/bin:/usr/sbin", "HOME": self.home, "LANG": "C.UTF-8",
             "XDG_CONFIG_HOME": os.path.join(self.tmp, "config"), "XDG_STATE_HOME": os.path.join(self.tmp, "state"),
             "XDG_CACHE_HOME": os.path.join(self.tmp, "cache"), "SENTINEL_SYSTEM_CONFIG": os.path.join(self.tmp, "no"),
             "PGSERVICEFILE": self.services, "KUBECONFIG": self.kubeconfig, "PGCONNECT_TIMEOUT": "10"}
        e.update(extra)
        return e

    def sentinel(self, *args, **extra):
        return run_no_tty([BIN, *args], self.env(**extra))

    def status_json(self, **extra):
        code, out, err = self.sentinel("status", "--json", **extra)
        expect(code == 0, "status: %d %s" % (code, err))
        return json.loads(out)

    def forget(self):
        shutil.rmtree(os.path.join(self.tmp, "cache"), ignore_errors=True)


def probe_connections(prod, since):
    """Connections the probe made, from the server's log after `since` bytes."""
    with open(prod.logfile, errors="replace") as f:
        f.seek(since)
        return sum(1 for line in f if "connection authorized" in line and "application_name=sentinel-probe" in line)


def log_size(prod):
    return os.path.getsize(prod.logfile)


T0 = time.time()


def main():
    require_root("runuser, servers run as postgres")
    require_postgres()
    require_programs("socat", "kubectl", "openssl", "runuser")
    tmp = tempfile.mkdtemp(prefix="sentinel-probe-")
    os.chmod(tmp, 0o755)
    procs = Procs(tmp)
    prod = pg_cluster.PgCluster("probe-prod", extra_conf={
        "listen_addresses": "'127.0.0.2'", "wal_level": "replica", "max_wal_senders": "4",
        "log_connections": "on", "log_min_messages": "info", "cluster_name": "'orders-main'"})
    replica = None
    try:
        prod.start()
        with open(os.path.join(prod.datadir, "pg_hba.conf"), "a") as f:
            f.write("host all all 127.0.0.0/8 trust\nlocal replication all trust\n"
                    "host replication all 127.0.0.0/8 trust\n")
        prod.create_database("app")
        prod.sql("CREATE TABLE users (id serial PRIMARY KEY)",
                 "INSERT INTO users SELECT FROM generate_series(1, 12000)", dbname="app")
        prod.sql("SELECT pg_reload_conf()")
        # PostgreSQL 15 takes ALTER SYSTEM for a custom setting once the
        # session knows the name (the README says so).
        prod.sql("SET sentinel.tier = ''", "ALTER SYSTEM SET sentinel.tier = 'production'", "SELECT pg_reload_conf()")
        w = World(tmp, prod)
        replica = start_replica(tmp, prod)
        socat_port = pg_cluster.free_port()
        procs.socat(socat_port, "127.0.0.2:%d" % prod.port)
        with open(w.services, "w") as f:
            f.write("[dev-copy]\nhost=127.0.0.2\nport=%d\ndbname=app\nuser=postgres\n\n"
                    "[reporting]\nhost=localhost\nport=%d\ndbname=app\nuser=postgres\n\n"
                    "[replica]\nhost=127.0.0.1\nport=%d\ndbname=app\nuser=postgres\n"
                    % (prod.port, socat_port, replica.port))
            print("setup took %.1f s" % (time.time() - T0), flush=True)
        pg_checks(w, prod)
        agent_check(w)
        kube_checks(w, tmp)
        return summary()
    finally:
        procs.close()
        if replica:
            replica.stop()
        prod.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def start_replica(tmp, prod):
    replica = pg_cluster.PgCluster("probe-replica")
    replica._prepare_dirs()
    replica._run(["pg_basebackup", "-D", replica.datadir, "-R", "-X", "stream", "-c", "fast", "-h", "127.0.0.2",
                  "-p", str(prod.port), "-U", "postgres"])
    # Its own port and socket directory; everything else (sentinel.tier
    # included) comes with the copy of postgresql.auto.conf.
    port = pg_cluster.free_port()
    with open(os.path.join(replica.datadir, "postgresql.auto.conf"), "a") as f:
        f.write("listen_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\n"
                "cluster_name = 'orders-replica'\nhot_standby = on\n" % (port, replica.socket_dir))
    replica._run([replica._bin("pg_ctl"), "-D", replica.datadir, "-l", replica.logfile, "-w", "-t", "60", "start"])
    replica.port = port
    replica.started = True
    return replica


def pg_checks(w, prod):
    psql = os.path.join(prod.bindir, "psql")

    def declared():
        t = w.status_json(PGSERVICE="dev-copy")["targets"][0]
        expect(t["tier"] == "local" and "server" not in t, t)
        before = log_size(prod)
        code, out, err = w.sentinel("guard", "--", psql, "-X", "-c", "DELETE FROM users", PGSERVICE="dev-copy")
        expect(code == 77 and "production" in err, "guard: %d %s" % (code, err))
        expect(int(prod.sql("SELECT count(*) FROM users", dbname="app")) == 12000, "rows deleted")
        time.sleep(0.2)
        expect(probe_connections(prod, before) == 1, "the guard's probe made %d connections"
               % probe_connections(prod, before))
        w.forget()
        code, out, err = w.sentinel("probe", PGSERVICE="dev-copy")
        expect(code == 0 and "declares production" in out and "cluster_name \"orders-main\"" in out, out + err)
        t = w.status_json(PGSERVICE="dev-copy")["targets"][0]
        expect(t["tier"] == "production" and t["rule"] == "declared by the server (sentinel.tier)", t)
        expect(t["server"]["declared_tier"] == "production" and t["server"]["system_identifier"], t)
        code, out, err = w.sentinel("status", "--format=prompt", PGSERVICE="dev-copy")
        expect(out.startswith("PROD dev-copy") and "\u00b7 declared PROD" in out, out)
    run_check("a service named dev-copy on a server declaring production: production after a probe and in the guard",
            declared)

    def replica_shown():
        code, out, err = w.sentinel("probe", PGSERVICE="replica")
        expect(code == 0 and out.startswith("server said: replica (in recovery)"), out + err)
        t = w.status_json(PGSERVICE="replica")["targets"][0]
        expect(t["server"]["replica"] is True and t["tier"] == "production", t)
        code, out, err = w.sentinel("status", PGSERVICE="replica")
        expect("replica" in out, out)
        code, out, err = w.sentinel("status", "--format=prompt", PGSERVICE="replica")
        expect("\u00b7 replica" in out, out)
    run_check("a streaming replica (pg_basebackup) is shown as a replica", replica_shown)

    def pinned():
        prod.sql("ALTER SYSTEM RESET sentinel.tier", "SELECT pg_reload_conf()")
        w.forget()
        code, out, err = w.sentinel("probe", PGSERVICE="dev-copy")
        expect(code == 0 and "declares no tier" in out, out + err)
        expect(w.status_json(PGSERVICE="reporting")["targets"][0]["tier"] == "local", "reporting not local")
        code, out, err = w.sentinel("probe", "--pin", "production", PGSERVICE="dev-copy")
        expect(code == 0 and out.startswith("pinned as production in " + w.config), out + err)
        with open(w.config) as f:
            text = f.read()
        expect(text.startswith(USER_CONFIG), "the user's bytes changed:\n" + text)
        expect("[[identity]]\nsystem_identifier = \"" in text, text)
        code, out, err = w.sentinel("guard", "--", psql, "-X", "-c", "DELETE FROM users", PGSERVICE="reporting")
        expect(code == 77 and "production" in err, "guard: %d %s" % (code, err))
        expect(int(prod.sql("SELECT count(*) FROM users", dbname="app")) == 12000, "rows deleted")
        t = w.status_json(PGSERVICE="reporting")["targets"][0]
        expect(t["tier"] == "production" and t["rule"].startswith("pinned identity at " + w.config), t)
        expect(t["via"][0]["kind"] == "socat", t)
    run_check("a pinned system_identifier makes a service with another name production", pinned)


def agent_check(w):
    def background():
        from e2e_agent_security import Client
        w.forget()
        with open(w.config) as f:
            text = f.read()
        with open(w.config, "w") as f:  # a top-level key: before the [[identity]] tables
            f.write("probe_background = true\n" + text)
        w.prod.sql("SET sentinel.tier = ''", "ALTER SYSTEM SET sentinel.tier = 'production'", "SELECT pg_reload_conf()")
        run_dir = os.path.join(w.tmp, "run")
        os.makedirs(run_dir, mode=0o700, exist_ok=True)
        log = os.path.join(w.tmp, "agent.log")
        agent = subprocess.Popen([BIN, "agent", "--foreground", "--log-file", log],
                                 env=w.env(XDG_RUNTIME_DIR=run_dir), stderr=subprocess.DEVNULL)
        try:
            sock = os.path.join(run_dir, "sentinel", "agent.sock")
            end = time.time() + 5
            while not os.path.exists(sock) and time.time() < end:
                time.sleep(0.02)
            c = Client(sock)
            c.send("REGISTER", str(os.getpid()), "bash", "", "", "", w.tmp)
            expect(c.frame(5)[0] == "REGISTERED", "no REGISTERED")
            variables = ["%s=%s" % (k, v) for k, v in w.env(PGSERVICE="dev-copy").items() if k != "PATH"]
            c.send("REPORT", w.tmp, *variables)
            start = time.time()
            c.send("PROMPT", "1", "")
            frame = c.frame(5)
            expect(frame and frame[0] == "STATE" and frame[3] == "local", frame)
            expect(time.time() - start < 2.0, "the prompt waited %.1f s" % (time.time() - start))
            tier = frame[3]
            end = time.time() + 15
            seq = 2
            while tier != "production" and time.time() < end:
                time.sleep(0.2)
                c.send("PROMPT", str(seq), "")
                seq += 1
                frame = c.frame(5)
                tier = frame[3] if frame and len(frame) > 3 else tier
            expect(tier == "production", "the agent never learned the declared tier: %s" % frame)
            c.close()
        finally:
            agent.terminate()
            agent.wait(5)
        with open(log) as f:
            expect("background probe of a pg target started" in f.read(), "no background probe logged")
    run_check("the agent probes in the background (probe_background) and repaints; the prompt does not wait",
            background)


def kube_checks(w, tmp):
    api = KubeApi(tmp)
    with open(w.kubeconfig, "w") as f:
        f.write("current-context: kind-local\ncontexts:\n- name: kind-local\n  context: {cluster: kind, user: me}\n"
                "- name: kind-labelled\n  context: {cluster: kind, user: me, namespace: labelled}\n"
                "clusters:\n- name: kind\n  cluster: {server: 'https://127.0.0.1:%d', insecure-skip-tls-verify: true}\n"
                "users:\n- name: me\n  user: {token: CANARYkube}\n" % api.port)
    kubectl = ["--", shutil.which("kubectl"), "--context", "kind-local"]

    def pinned_uid():
        code, out, err = w.sentinel("probe", "--kube", *kubectl)
        expect(code == 0 and "kube-system uid uid-1234" in out, out + err)
        expect(any("timeout=3s" in p for p in api.paths), "kubectl did not pass --request-timeout=3s: %s" % api.paths)
        code, out, err = w.sentinel("probe", "--kube", "--pin", "production", *kubectl)
        expect(code == 0, out + err)
        with open(w.config) as f:
            expect("kube_system_uid = \"uid-1234\"" in f.read(), "no kube_system_uid pinned")
        s = json.loads(w.sentinel("status", "--json", "--", "kubectl", "--context", "kind-local", "get", "pods")[1])
        t = s["targets"][0]
        expect(t["context"] == "kind-local" and t["tier"] == "production", t)
        expect(t["rule"].startswith("pinned identity at"), t)
        code, out, err = w.sentinel("guard", "--", shutil.which("kubectl"), "--context", "kind-local", "delete",
                                    "pod", "x")
        expect(code == 77 and "production" in err, "guard: %d %s" % (code, err))
        expect("CANARYkube" not in out + err, "token printed")
    run_check("kind-local whose pinned kube-system UID is production is production", pinned_uid)

    def labelled():
        api.namespace = {"uid": "uid-5678", "labels": {"sentinel/tier": "production"}}
        code, out, err = w.sentinel("probe", "--kube", "--", "kubectl", "--context", "kind-labelled")
        expect(code == 0 and "declares production" in out, out + err)
        s = json.loads(w.sentinel("status", "--json", "--", "kubectl", "--context", "kind-labelled", "get", "ns")[1])
        expect(s["targets"][0]["tier"] == "production" and s["targets"][0]["server"]["declared_tier"] == "production",
               s)
    run_check("a sentinel/tier label on kube-system declares the tier", labelled)
    api.close()


if __name__ == "__main__":
    sys.exit(main())
