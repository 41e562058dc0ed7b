#!/usr/bin/env python3
"""Benchmark (not a test): what the preview and the undo copy cost (issue 12).

Starts a throwaway PostgreSQL server (tests/pg_cluster.py) and a service
`prod` (production) pointing at it, then measures, interleaved in the same
run and on the same server:

1. the preview: `sentinel guard --dry-run -- psql -c DELETE...` with the
   preview on, against the same with `preview_timeout = 0` (off): the
   difference is what the preview adds to the question. Its baseline is one
   connection plus the count query, run by psql: `psql -c COUNT` minus
   `psql -c 'select 1'` plus the connection (`psql -c 'select 1'` minus
   `psql -V`).
2. the undo copy: a confirmed `DELETE` of 100,000 rows through the guard
   (SENTINEL_CONFIRM, no terminal) with its undo copy, against the plain
   `psql -c DELETE` of the same rows; the table is refilled, outside the
   timing, before each run. Goal: at most 1.5 times. For scale, the floor of
   any copy kept on the client: the same DELETE's rows sent to psql
   (`COPY (DELETE ... RETURNING) TO STDOUT` into /dev/null).

Usage: python3 bench/undo_bench.py [--runs N] [--sentinel PATH]
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
import benchlib  # noqa: E402

DELETE = "DELETE FROM big WHERE created_at < '2024-01-01'"
COUNT = ("SELECT (SELECT count(*) FROM big WHERE created_at < '2024-01-01'), (SELECT count(*) FROM big)")


def timed(argv, env, ok=(0,)):
    return benchlib.timed(argv, env, ok, stdin=subprocess.DEVNULL, start_new_session=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--sentinel", default=os.environ.get("SENTINEL_BIN") or os.path.join(REPO, "build", "sentinel"))
    args = ap.parse_args()
    with pg_cluster.PgCluster("undo-bench") as c, tempfile.TemporaryDirectory() as tmp:
        c.create_database("app")
        fill = ("DROP TABLE IF EXISTS big; CREATE TABLE big (id serial PRIMARY KEY, created_at date NOT NULL, "
                "email text NOT NULL, note text); INSERT INTO big (created_at, email, note) SELECT date '2023-01-01' "
                "+ (g % 300), 'user' || g || '@example.com', repeat('x', 40) FROM generate_series(1, 100000) g")
        c.sql(fill, "VACUUM ANALYZE big", dbname="app")
        service_file = os.path.join(tmp, "pg_service.conf")
        with open(service_file, "w") as f:
            f.write("[prod]\nhost=127.0.0.1\nport=%d\ndbname=app\nuser=postgres\n" % c.port)
        conf_on, conf_off = os.path.join(tmp, "on"), os.path.join(tmp, "off")
        os.makedirs(os.path.join(conf_off, "sentinel"))
        with open(os.path.join(conf_off, "sentinel", "config.toml"), "w") as f:
            f.write("preview_timeout = 0\n")
        env = {"PATH": c.bindir + ":/usr/bin:/bin", "HOME": tmp, "LANG": "C", "PGSERVICEFILE": service_file,
               "PGSERVICE": "prod", "XDG_CONFIG_HOME": conf_on, "XDG_STATE_HOME": os.path.join(tmp, "state"),
               "XDG_RUNTIME_DIR": tmp, "SENTINEL_SYSTEM_CONFIG": os.path.join(tmp, "none")}
        env_off = dict(env, XDG_CONFIG_HOME=conf_off)
        psql = os.path.join(c.bindir, "psql")
        dry = [args.sentinel, "guard", "--dry-run", "--", psql, "-X", "-c", DELETE]
        with_preview, without, count, select1, version = [], [], [], [], []
        for _ in range(args.runs * 3):
            with_preview.append(timed(dry, env))
            without.append(timed(dry, env_off))
            count.append(timed([psql, "-X", "-c", COUNT], env))
            select1.append(timed([psql, "-X", "-c", "select 1"], env))
            version.append(timed([psql, "-V"], env))
        m = statistics.median
        added = m(with_preview) - m(without)
        baseline = m(count) - m(version)
        print("load average: %.2f %.2f %.2f; cpus: %d" % (os.getloadavg() + (os.cpu_count(),)))
        print("preview: question with preview %.2f ms, without %.2f ms: adds %.2f ms (median of %d)"
              % (m(with_preview), m(without), added, len(without)))
        print("baseline: one connection plus the count query (psql -c COUNT %.2f ms - psql -V %.2f ms) = %.2f ms;"
              " ratio %.2f" % (m(count), m(version), baseline, added / baseline if baseline > 0 else 0))
        plain, guarded, floor = [], [], []
        override = dict(env, SENTINEL_CONFIRM="prod")
        for _ in range(args.runs):
            c.sql(fill, "VACUUM ANALYZE big", dbname="app")
            plain.append(timed([psql, "-X", "-c", DELETE], env))
            c.sql(fill, "VACUUM ANALYZE big", dbname="app")
            guarded.append(timed([args.sentinel, "guard", "--", psql, "-X", "-c", DELETE], override))
            c.sql(fill, "VACUUM ANALYZE big", dbname="app")
            floor.append(timed([psql, "-X", "-o", "/dev/null", "-c", "COPY (%s RETURNING big.*) TO STDOUT" % DELETE], env))
        print("DELETE of 100,000 rows: plain psql %.1f ms, guarded with its undo copy %.1f ms: ratio %.2f"
              " (goal <= 1.5; median of %d)" % (m(plain), m(guarded), m(guarded) / m(plain), len(plain)))
        print("floor: the deleted rows only sent to the client, COPY (DELETE ... RETURNING) TO STDOUT into /dev/null:"
              " %.1f ms, ratio %.2f" % (m(floor), m(floor) / m(plain)))


if __name__ == "__main__":
    main()
