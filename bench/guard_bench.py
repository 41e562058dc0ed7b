#!/usr/bin/env python3
"""Benchmark (not a test): what `sentinel guard` adds to a psql call that
needs no question.

Starts a throwaway PostgreSQL server (tests/pg_cluster.py) and a service
`dev` pointing at it (a development/local target: policy none), then times,
interleaved in the same run,

    psql -X -c 'select 1'                          (plain)
    sentinel guard -- psql -X -c 'select 1'        (guarded)

the guarded call twice: with an agent running (the guard asks it over the
socket and loads neither libpq nor a kubeconfig) and without one (the guard
loads libpq and resolves itself), and `sentinel --version` (the cost of
starting the binary at all), with PGSERVICE=dev,
N times each (default 300; --runs N), and prints the
median, the 10th and 90th percentiles and the median difference in ms.
Goal (issue 5): <= 2 ms added median.

Usage: python3 bench/guard_bench.py [--runs N] [--sentinel PATH]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests"))
import pg_cluster  # noqa: E402
from benchlib import timed, pct  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--sentinel", default=os.environ.get("SENTINEL_BIN") or os.path.join(REPO, "build", "sentinel"))
    args = ap.parse_args()
    with pg_cluster.PgCluster("bench") as c, tempfile.TemporaryDirectory() as tmp:
        service_file = os.path.join(tmp, "pg_service.conf")
        with open(service_file, "w") as f:
            f.write("[dev]\nhost=127.0.0.1\nport=%d\ndbname=postgres\nuser=postgres\n" % c.port)
        env = {"PATH": c.bindir + ":/usr/bin:/bin", "HOME": tmp, "LANG": "C", "PGSERVICEFILE": service_file,
               "PGSERVICE": "dev", "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
               "XDG_STATE_HOME": os.path.join(tmp, "state"), "SENTINEL_SYSTEM_CONFIG": os.path.join(tmp, "none")}
        os.makedirs(os.path.join(tmp, "run-none"), mode=0o700)
        os.makedirs(os.path.join(tmp, "run-agent"), mode=0o700)
        env["XDG_RUNTIME_DIR"] = os.path.join(tmp, "run-none")  # no agent ever runs here
        env_agent = dict(env, XDG_RUNTIME_DIR=os.path.join(tmp, "run-agent"))
        subprocess.run([args.sentinel, "agent"], env=env_agent, check=True)
        psql = os.path.join(c.bindir, "psql")
        plain = [psql, "-X", "-c", "select 1"]
        guarded = [args.sentinel, "guard", "--"] + plain
        status = subprocess.run([args.sentinel, "status", "--json", "--"] + plain, env=env,
                                stdout=subprocess.PIPE).stdout.decode()
        try:
            for _ in range(20):  # warm caches
                timed(plain, env)
                timed(guarded, env)
                timed(guarded, env_agent)
            startup = [args.sentinel, "--version"]
            p, g, a, v = [], [], [], []
            for _ in range(args.runs):
                p.append(timed(plain, env))
                a.append(timed(guarded, env_agent))
                g.append(timed(guarded, env))
                v.append(timed(startup, env))
        finally:
            subprocess.run(["pkill", "-TERM", "-f", "^%s agent$" % args.sentinel])
        print("load average: %.2f %.2f %.2f; cpus: %d" % (os.getloadavg() + (os.cpu_count(),)))
        print("target: %s" % status.strip()[:200])
        print("runs: %d each, interleaved" % args.runs)
        print("plain psql                      median %.2f ms  p10 %.2f  p90 %.2f" % (statistics.median(p), pct(p, .1), pct(p, .9)))
        print("sentinel guard, agent running   median %.2f ms  p10 %.2f  p90 %.2f" % (statistics.median(a), pct(a, .1), pct(a, .9)))
        print("sentinel guard, no agent        median %.2f ms  p10 %.2f  p90 %.2f" % (statistics.median(g), pct(g, .1), pct(g, .9)))
        print("sentinel --version (process start only) median %.2f ms" % statistics.median(v))
        for name, series in (("agent running", a), ("no agent", g)):
            diffs = [y - x for x, y in zip(p, series)]
            print("added, %-13s median of medians %.2f ms; median of pairwise differences %.2f ms"
                  % (name + ":", statistics.median(series) - statistics.median(p), statistics.median(diffs)))

if __name__ == "__main__":
    main()
