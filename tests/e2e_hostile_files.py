#!/usr/bin/env python3
"""Hostile files and inputs never hang, crash or calm sentinel (BAD_INPUTS.md
rows 8, 10-14, 16-18, 30): the fixtures of tests/fixtures/ through `sentinel
status`, `sentinel guard` and the agent, with timeouts that catch a hang:

- kubeconfigs: the 3-byte `%\\x8d\\n` that sent libfyaml into an endless loop,
  NUL bytes, invalid UTF-8, a binary file, tabs, truncation, an alias bomb,
  a cyclic alias, 100,000 `[` and 10,000 nested maps (also with `ulimit -s
  256` and, outside AddressSanitizer builds, 256 MiB of address space), a
  200 MB file, KUBECONFIG with 10,000 entries, /dev/zero, a FIFO, a
  directory, a symlink loop; the agent keeps answering other sessions;
- PostgreSQL service files that are a FIFO, /dev/zero, 200 MB, or hold a NUL
  byte, through status and `guard -- psql`;
- an audit log that is a FIFO;
- config files that reached toml++'s assertion and TOML_UNREACHABLE;
- SQL with 20,000 unions through `guard -- psql -f` (was SIGSEGV), and 2,000
  under `ulimit -s 256`."""

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from testlib import BIN, SRC, check, summary

FIX = os.path.join(SRC, "tests", "fixtures")
SANITIZED = os.environ.get("SENTINEL_SANITIZED") == "1"
TIMEOUT = 60  # seconds: only a hang gets near it


class Home:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="sentinel-hostile-")
        self.env = {"PATH": os.path.join(self.dir, "bin") + ":" + os.environ["PATH"], "HOME": self.dir,
                    "LANG": "C.UTF-8", "XDG_CONFIG_HOME": os.path.join(self.dir, "config"),
                    "XDG_CACHE_HOME": os.path.join(self.dir, "cache"),
                    "XDG_STATE_HOME": os.path.join(self.dir, "state"),
                    "SENTINEL_SYSTEM_CONFIG": os.path.join(self.dir, "etc.toml")}
        os.makedirs(os.path.join(self.dir, "bin"))
        self.marker = os.path.join(self.dir, "ran")
        for tool in ("psql", "kubectl"):
            stub = os.path.join(self.dir, "bin", tool)
            with open(stub, "w") as f:
                f.write("#!/bin/sh\necho \"$0 $*\" >> '%s'\nexit 0\n" % self.marker)
            os.chmod(stub, 0o755)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def write(self, rel, data):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        return p

    def run(self, args, preexec=None, stdin=subprocess.DEVNULL, **env):
        e = dict(self.env, **env)
        start = time.monotonic()
        try:
            p = subprocess.run([BIN, *args], env=e, capture_output=True, timeout=TIMEOUT, preexec_fn=preexec,
                               stdin=stdin)
            return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), \
                time.monotonic() - start
        except subprocess.TimeoutExpired:
            return None, "", "timed out", TIMEOUT

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def status(h, preexec=None, **env):
    rc, out, err, took = h.run(["status", "--json"], preexec, **env)
    try:
        return rc, json.loads(out), err, took
    except ValueError:
        return rc, None, err, took


def small_limits():
    resource.setrlimit(resource.RLIMIT_STACK, (256 * 1024, 256 * 1024))
    if not SANITIZED:
        resource.setrlimit(resource.RLIMIT_AS, (256 << 20, 256 << 20))


def test_kubeconfig_fixtures():
    h = Home()
    try:
        expect_error = ["directive-loop.yaml", "directive-c1.yaml", "tab-indent.yaml", "truncated.yaml",
                        "nul-byte.yaml", "invalid-utf8.yaml", "binary.bin", "alias-bomb.yaml", "cyclic-alias.yaml",
                        "deep-flow.yaml", "deep-maps.yaml"]
        for name in sorted(os.listdir(os.path.join(FIX, "kubeconfig"))):
            path = os.path.join(FIX, "kubeconfig", name)
            for limited in (False, True):
                rc, doc, err, took = status(h, small_limits if limited else None, KUBECONFIG=path)
                what = "kubeconfig %s%s" % (name, " (ulimit -s 256%s)" % ("" if SANITIZED else ", 256 MiB")
                                            if limited else "")
                if doc is None:
                    check(what + ": an answer, no crash or hang", False, (rc, err[:200]))
                    continue
                if name in expect_error:
                    check(what + ": unknown with a positioned error (%.2f s)" % took,
                          rc == 0 and doc["tier"] == "unknown" and any(w.startswith(path + ":") for w in doc["warnings"]),
                          doc["warnings"][:2])
                else:
                    check(what + ": parsed (%s, %.2f s)" % (doc["tier"], took), rc == 0, err[:200])
        # The guard too: a kube command on the looping file is unknown, so asked (refused without a terminal).
        rc, out, err, took = h.run(["guard", "--", "kubectl", "delete", "pod", "x"],
                                   KUBECONFIG=os.path.join(FIX, "kubeconfig", "directive-loop.yaml"))
        check("guard on the looping kubeconfig: refused as unknown, no hang (%.2f s)" % took,
              rc == 77 and not os.path.exists(h.marker), (rc, err[:200]))
    finally:
        h.close()


def test_big_and_special_kubeconfigs():
    h = Home()
    try:
        big = h.path("big.yaml")
        with open(big, "wb") as f:
            f.truncate(200 << 20)  # sparse: 200 MB that cost nothing
        rc, doc, err, took = status(h, KUBECONFIG=big)
        check("200 MB kubeconfig: refused by size (%.2f s)" % took,
              doc and doc["tier"] == "unknown" and any("larger than 32 MiB" in w for w in doc["warnings"]), err)
        valid = os.path.join(FIX, "kubeconfig", "valid.yaml")
        many = ":".join(["/m%d" % i for i in range(9999)] + [valid])  # under the 128 KiB of one variable
        rc, doc, err, took = status(h, KUBECONFIG=many)
        check("KUBECONFIG of 10,000 entries: refused by count (%.2f s)" % took,
              doc and doc["tier"] == "unknown" and any("256" in w for w in doc["warnings"]), (doc or {}).get("warnings"))
        loop = h.path("loop")
        os.symlink(loop, loop)
        fifo = h.path("fifo")
        os.mkfifo(fifo)
        for special in ("/dev/zero", fifo, h.dir, loop):
            rc, doc, err, took = status(h, KUBECONFIG=special)
            check("KUBECONFIG=%s: refused, no hang (%.2f s)" % (os.path.basename(special) or special, took),
                  doc and doc["tier"] == "unknown" and doc["warnings"], err[:200])
        rc, doc, err, took = status(h, KUBECONFIG=h.path("nowhere"))
        check("KUBECONFIG=/missing only: no kube target", doc and doc["tier"] == "none", doc)
        rc, out, err, took = h.run(["guard", "--", "kubectl", "delete", "pod", "x"], KUBECONFIG=h.path("nowhere"))
        check("KUBECONFIG=/missing only: the guard treats kube as unknown (77)", rc == 77, (rc, err[:200]))
    finally:
        h.close()


def test_agent_survives_a_bad_kubeconfig():
    h = Home()
    run_dir = h.path("run")
    os.makedirs(run_dir, mode=0o700)
    agent = subprocess.Popen([BIN, "agent", "--foreground"], env=dict(h.env, XDG_RUNTIME_DIR=run_dir),
                             stderr=subprocess.DEVNULL)
    try:
        sock = os.path.join(run_dir, "sentinel", "agent.sock")
        end = time.monotonic() + 10
        while not os.path.exists(sock) and time.monotonic() < end:
            time.sleep(0.02)
        valid = os.path.join(FIX, "kubeconfig", "valid.yaml")
        bad = os.path.join(FIX, "kubeconfig", "directive-loop.yaml")

        def session(pid, kubeconfig):
            s = socket.socket(socket.AF_UNIX)
            s.settimeout(TIMEOUT)
            s.connect(sock)
            s.sendall(("HELLO\t1\tt\nREGISTER\t%d\tbash\t\t\t\t/\nREPORT\t/\tHOME=%s\tKUBECONFIG=%s\nPROMPT\t1\t\n"
                       % (pid, h.dir, kubeconfig)).encode())
            return s

        def state(s):
            data = b""
            while data.count(b"\n") < 3:
                more = s.recv(65536)
                if not more:
                    break
                data += more
            line = [l for l in data.split(b"\n") if l.startswith(b"STATE")]
            return line[0].split(b"\t")[3].decode() if line else None

        start = time.monotonic()
        a = session(1, bad)
        b = session(2, valid)
        ta, tb = state(a), state(b)
        took = time.monotonic() - start
        check("agent: the session on the looping kubeconfig is unknown (%.2f s)" % took, ta == "unknown", ta)
        check("agent: another session keeps its answer (production)", tb == "production", tb)
        check("agent: still running", agent.poll() is None)
        a.close()
        b.close()
    finally:
        agent.terminate()
        agent.wait(10)
        h.close()


def test_service_files():
    h = Home()
    try:
        fifo = h.path("svc.fifo")
        os.mkfifo(fifo)
        huge = h.path("huge.conf")
        with open(huge, "wb") as f:
            f.truncate(200 << 20)
        nul = os.path.join(FIX, "service", "nul.conf")
        cases = [("a FIFO", fifo, "not a regular file"), ("/dev/zero", "/dev/zero", "not a regular file"),
                 ("200 MB", huge, "larger than 32 MiB"), ("a NUL byte", nul, ":2: NUL byte")]
        for what, path, reason in cases:
            rc, doc, err, took = status(h, PGSERVICEFILE=path, PGSERVICE="svc")
            check("PGSERVICEFILE is %s: unknown with the reason, no hang (%.2f s)" % (what, took),
                  doc and doc["tier"] == "unknown" and any(reason in w for w in doc["warnings"]),
                  (doc or {}).get("warnings"))
            rc, out, err, took = h.run(["guard", "--", "psql", "-c", "select 1"], PGSERVICEFILE=path, PGSERVICE="svc")
            check("guard -- psql, PGSERVICEFILE is %s: refused with the reason, psql not run (%.2f s)" % (what, took),
                  rc == 78 and reason in err and not os.path.exists(h.marker), (rc, err[:200]))
        # ~/.pg_service.conf as a FIFO, found by libpq's own default.
        os.mkfifo(h.path(".pg_service.conf"))
        rc, doc, err, took = status(h, PGSERVICE="svc")
        check("~/.pg_service.conf is a FIFO: unknown, no hang (%.2f s)" % took,
              doc and doc["tier"] == "unknown" and any("not a regular file" in w for w in doc["warnings"]),
              (doc or {}).get("warnings"))
        # A valid file still resolves, through the budgeted child.
        valid = os.path.join(FIX, "service", "valid.conf")
        rc, doc, err, took = status(h, PGSERVICEFILE=valid, PGSERVICE="prod-orders")
        check("a valid service file still resolves (production)",
              doc and doc["tier"] == "production" and doc["targets"][0]["host"] == "db1.prod.example.com", doc)
    finally:
        h.close()


def test_audit_fifo():
    h = Home()
    try:
        h.write(".kube/config", open(os.path.join(FIX, "kubeconfig", "valid.yaml")).read())
        os.makedirs(h.path("state", "sentinel"))
        os.mkfifo(h.path("state", "sentinel", "audit.jsonl"))
        rc, out, err, took = h.run(["guard", "--", "kubectl", "delete", "pod", "x"], SENTINEL_CONFIRM="prod-eu")
        check("audit.jsonl is a FIFO: the guard warns and goes on, no hang (%.2f s)" % took,
              rc == 0 and "not a regular file" in err and os.path.exists(h.marker), (rc, err[:300]))
        os.remove(h.marker)
        h.write("config/sentinel/config.toml", 'audit = "required"\n')
        rc, out, err, took = h.run(["guard", "--", "kubectl", "delete", "pod", "x"], SENTINEL_CONFIRM="prod-eu")
        check("audit.jsonl is a FIFO, audit required: refused (77)", rc == 77 and not os.path.exists(h.marker),
              (rc, err[:300]))
    finally:
        h.close()


def test_config_fixtures():
    h = Home()
    try:
        expected = {"nul-header.toml": ":1:2: NUL byte", "triple-bracket.toml": ":1:3: a table header",
                    "bare-non-ascii.toml": ":1:1: non-ASCII", "non-ascii-key.toml": ":1:8: non-ASCII",
                    "value-then-non-ascii.toml": ":1:6: non-ASCII", "multiline-backslash.toml": ":2:3: non-ASCII",
                    "control.toml": ":1:6: control character", "invalid-utf8.toml": ":1:6: not UTF-8",
                    "unknown-tier.toml": "unknown tier"}
        for name in sorted(os.listdir(os.path.join(FIX, "config"))):
            target = h.path("config", "sentinel", "config.toml")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy(os.path.join(FIX, "config", name), target)
            rc, doc, err, took = status(h, APP_ENV="dev")
            if name in expected:
                where = target + expected[name] if expected[name].startswith(":") else expected[name]
                check("config %s: exit 78, %s, unknown" % (name, expected[name]),
                      rc == 78 and where in err and target in err and doc and doc["tier"] == "unknown",
                      (rc, err[:200]))
            else:
                check("config %s: accepted" % name, rc == 0, (rc, err[:200]))
    finally:
        h.close()


def test_deep_sql():
    h = Home()
    try:
        env = dict(PGHOST="db1.prod.example.com", PGDATABASE="app", PGUSER="u")
        deep = h.write("deep.sql", "select 1" + " union select 1" * 20000 + ";\n")
        rc, out, err, took = h.run(["guard", "--", "psql", "-f", deep], **env)
        check("20,000 unions through guard -- psql -f on production: destructive, so asked (refused without a "
              "terminal), no crash (%s, %.2f s)" % (rc, took),
              rc == 77 and "SENTINEL_CONFIRM" in err and not os.path.exists(h.marker), (rc, err[:200]))
        two = h.write("two.sql", "select 1" + " union select 1" * 2000 + ";\n")
        rc, out, err, took = h.run(["guard", "--", "psql", "-f", two], preexec=small_limits, **env)
        check("2,000 unions under ulimit -s 256: classified as a read, psql runs (%s)" % rc,
              rc == 0 and os.path.exists(h.marker), (rc, err[:200]))
    finally:
        h.close()


def main():
    for name, fn in sorted(globals().items()):
        if name.startswith("test_"):
            fn()
    sys.exit(summary())


if __name__ == "__main__":
    main()
