#!/usr/bin/env python3
"""Benchmark (not a test): what the guard's probe costs (issue 11).

Starts a throwaway PostgreSQL server (tests/pg_cluster.py) on 127.0.0.1, so
that `sentinel guard -- psql` traces it and asks it who it is before
deciding (probe = "guarded", the default), and times, interleaved in the
same run, N times each (default 100; --runs N):

    psql -X -c 'select 1'                                  (one connection)
    sentinel guard -- psql -X -c 'select 1'                (probe + psql)
    sentinel guard -- psql -X -c 'select 1', probe="never" (no probe)

Prints medians and percentiles; the probe's cost is the difference of the
two guarded medians, and the goal is that it costs at most one connection:
at most the median of the plain psql call.

Usage: python3 bench/probe_bench.py [--runs N] [--sentinel PATH]
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
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--sentinel", default=os.environ.get("SENTINEL_BIN") or os.path.join(REPO, "build", "sentinel"))
    args = ap.parse_args()
    with pg_cluster.PgCluster("probe-bench") as c, tempfile.TemporaryDirectory() as tmp:
        psql = os.path.join(c.bindir, "psql")
        base = {"PATH": c.bindir + ":/usr/bin:/bin", "HOME": tmp, "LANG": "C", "PGHOST": "127.0.0.1",
                "PGPORT": str(c.port), "PGDATABASE": "postgres", "PGUSER": "postgres",
                "XDG_CACHE_HOME": os.path.join(tmp, "cache"), "XDG_STATE_HOME": os.path.join(tmp, "state"),
                "SENTINEL_SYSTEM_CONFIG": os.path.join(tmp, "none")}
        probing = dict(base, XDG_CONFIG_HOME=os.path.join(tmp, "probe"))
        never = dict(base, XDG_CONFIG_HOME=os.path.join(tmp, "never"))
        os.makedirs(os.path.join(tmp, "never", "sentinel"))
        with open(os.path.join(tmp, "never", "sentinel", "config.toml"), "w") as f:
            f.write('probe = "never"\n')
        cases = {
            "psql -c 'select 1'": ([psql, "-X", "-c", "select 1"], base),
            "guard, probe": ([args.sentinel, "guard", "--", psql, "-X", "-c", "select 1"], probing),
            "guard, probe = never": ([args.sentinel, "guard", "--", psql, "-X", "-c", "select 1"], never),
        }
        times = {name: [] for name in cases}
        for argv, env in cases.values():
            timed(argv, env)  # warm up
        for _ in range(args.runs):
            for name, (argv, env) in cases.items():
                times[name].append(timed(argv, env))
        for name, values in times.items():
            print("%-24s median %7.2f ms  p10 %7.2f  p90 %7.2f" % (name, statistics.median(values), pct(values, 0.1),
                                                                   pct(values, 0.9)))
        probe = statistics.median(times["guard, probe"]) - statistics.median(times["guard, probe = never"])
        one = statistics.median(times["psql -c 'select 1'"])
        print("probe costs %.2f ms; one psql connection and statement %.2f ms; ratio %.2f (goal <= 1): %s"
              % (probe, one, probe / one, "ok" if probe <= one else "OVER"))


if __name__ == "__main__":
    main()
