#!/usr/bin/env python3
"""Benchmark (not a test): what guarding psql costs in a shell with the
integration, where SENTINEL_WRAP=psql makes `psql` a shell function that
asks the agent over the relay the shell already holds and runs psql
directly when no question is needed (a development target here).

In one interactive bash and one zsh on pseudo-terminals, with a throwaway
PostgreSQL server and a service `dev` pointing at it (policy none), one
command line runs N rounds (default 200; --runs N), each timing with
EPOCHREALTIME, in the same shell and order:

    command psql -X -c 'select 1'                  (plain psql)
    psql -X -c 'select 1'                          (the wrapper function)
    sentinel guard -- psql -X -c 'select 1'        (the binary, agent running)

and prints the medians, 10th and 90th percentiles and the median of the
pairwise differences to plain. Goal (issue 5): <= 2 ms added median.

Usage: SENTINEL_BIN=build/sentinel python3 bench/guard_shell_bench.py [--runs N]
"""

import argparse
import os
import statistics
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests"))
import pg_cluster  # noqa: E402
from testlib import Sandbox  # noqa: E402
from benchlib import pct

LOOP = (
    "for i in {1..%d}; do "
    "a=$EPOCHREALTIME; command psql -X -c 'select 1' >/dev/null; "
    "b=$EPOCHREALTIME; psql -X -c 'select 1' >/dev/null; "
    "c=$EPOCHREALTIME; \"$_sentinel_bin\" guard -- psql -X -c 'select 1' >/dev/null; "
    "d=$EPOCHREALTIME; print_t \"$a $b $c $d\"; done > %s"
)


def run(kind, box, env, runs):
    out = os.path.join(box.dir, "times.%s" % kind)
    before = "SENTINEL_WRAP=psql" if kind == "bash" else "zmodload zsh/datetime\nSENTINEL_WRAP=psql"
    sh = box.shell(kind, before=before, **env)
    for _ in range(3):
        sh.run("true")
    sh.run("print_t() { printf '%s\\n' \"$1\"; }")
    sh.run(LOOP % (10, out))  # warm caches
    sh.run(LOOP % (runs, out), timeout=runs * 2.0)
    plain, wrapped, binary = [], [], []
    with open(out) as f:
        for line in f:
            a, b, c, d = (float(x) for x in line.split())
            plain.append((b - a) * 1000)
            wrapped.append((c - b) * 1000)
            binary.append((d - c) * 1000)
    print("%s: %d rounds" % (kind, len(plain)))
    for name, series in (("plain psql", plain), ("psql, wrapper function", wrapped),
                         ("sentinel guard -- psql", binary)):
        line = "  %-24s median %6.2f ms  p10 %6.2f  p90 %6.2f" % (name, statistics.median(series), pct(series, .1),
                                                                  pct(series, .9))
        if series is not plain:
            diffs = [y - x for x, y in zip(plain, series)]
            line += "  added: median of pairwise differences %+.2f ms" % statistics.median(diffs)
        print(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=200)
    args = ap.parse_args()
    with pg_cluster.PgCluster("bench") as c:
        box = Sandbox()
        try:
            service_file = os.path.join(box.dir, "pg_service.conf")
            with open(service_file, "w") as f:
                f.write("[dev]\nhost=127.0.0.1\nport=%d\ndbname=postgres\nuser=postgres\n" % c.port)
            env = {"PATH": c.bindir + ":/usr/bin:/bin", "PGSERVICEFILE": service_file, "PGSERVICE": "dev"}
            print("load average: %.2f %.2f %.2f; cpus: %d" % (os.getloadavg() + (os.cpu_count(),)))
            t = time.monotonic()
            for kind in ("bash", "zsh"):
                run(kind, box, env, args.runs)
            print("(%.0f s)" % (time.monotonic() - t))
        finally:
            box.close()


if __name__ == "__main__":
    main()
