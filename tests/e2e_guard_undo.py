#!/usr/bin/env python3
"""End-to-end: the guard's preview and undo copy (issue 12) against a real
PostgreSQL 15 server started here (tests/pg_cluster.py).

`users` holds 12,000 rows, all created before 2024.  A service `prod`
(production by the built-in rules) points at it.  Checks, each against the
real server and the real psql under a pseudo-terminal:

- the question for DELETE ... WHERE created_at < '2024-01-01' says
  "12,000 of 12,000 rows"; refused, every row remains; confirmed, none
  remain, and `sentinel undo restore` makes the table identical (same
  md5(string_agg(t::text, ',' ORDER BY id)));
- the same for UPDATE users SET email = '' (no WHERE), TRUNCATE users and
  DROP TABLE users;
- a second connection inserting matching rows while the guarded DELETE
  runs: the undo copy holds exactly the rows that were deleted;
- a WHERE calling random() or a function with a side effect: the preview
  never runs it (the side effect did not happen) and says "about";
- a full tmpfs as XDG_STATE_HOME with undo = "required": exit 77, every row
  remains;
- a table without a primary key: update restore refused with the reason,
  delete restore works;
- `sentinel undo show` of a row holding ESC, OSC and bidi bytes prints
  visible escapes only; files 0600, directories 0700; audit records carry
  the undo id; --dry-run runs nothing.

Environment: SENTINEL_BIN, PG_BINDIR (see pg_cluster.py).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pg_cluster  # noqa: E402
from testlib import BIN, expect, run_check, run_no_tty, run_pty, summary  # noqa: E402

ASK = "to go ahead"
SEED = ("DROP TABLE IF EXISTS users; CREATE TABLE users (id serial PRIMARY KEY, created_at date NOT NULL, "
        "email text NOT NULL); INSERT INTO users (created_at, email) SELECT date '2023-01-01' + (g % 300), "
        "'user' || g || '@example.com' FROM generate_series(1, 12000) g")
DIGEST = "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY id)), '') FROM users t"


def main():
    pg_cluster.require_postgres()
    c = pg_cluster.PgCluster("undo").start()
    tmp = tempfile.mkdtemp(prefix="sentinel-undo-")
    try:
        c.create_database("app")
        sql = lambda *s: c.sql(*s, dbname="app").strip()  # noqa: E731
        service_file = os.path.join(tmp, "pg_service.conf")
        with open(service_file, "w") as f:
            f.write("[prod]\nhost=127.0.0.1\nport=%d\ndbname=app\nuser=postgres\n" % c.port)
        psql = os.path.join(c.bindir, "psql")
        home = os.path.join(tmp, "home")
        state = os.path.join(tmp, "state")
        os.makedirs(home)

        def env(**extra):
            e = {"PATH": c.bindir + ":/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8", "TERM": "xterm",
                 "PGSERVICEFILE": service_file, "PGSERVICE": "prod", "PGCONNECT_TIMEOUT": "10",
                 "XDG_CONFIG_HOME": os.path.join(tmp, "config"), "XDG_STATE_HOME": state,
                 "XDG_RUNTIME_DIR": os.path.join(tmp, "run"), "SENTINEL_SYSTEM_CONFIG": os.path.join(tmp, "none")}
            e.update(extra)
            return e
        os.makedirs(os.path.join(tmp, "run"), mode=0o700)

        def guard(statement, answer=b"prod\n", extra_env=None, args=(), script=None):
            steps = script or [("expect", ASK), ("send", answer)]
            return run_pty([BIN, "guard", "--", psql, "-X", *args, "-c", statement], env(**(extra_env or {})),
                           steps, timeout=60)

        def undo_ids():
            out = subprocess.run([BIN, "undo", "list", "--json"], env=env(), capture_output=True, text=True).stdout
            return [m["id"] for m in json.loads(out)]

        def restore(undo_id, *more):
            return run_pty([BIN, "undo", "restore", undo_id, *more], env(), [("expect", ASK), ("send", b"prod\n")],
                           timeout=60)


        def round_trip(name, statement, phrase):
            sql(SEED)
            before = sql(DIGEST)
            code, out = guard(statement, b"PROD\n")
            expect(code == 77 and phrase in out, "refused: %d\n%s" % (code, out))
            expect(sql(DIGEST) == before, "refused, yet the table changed")
            ids = set(undo_ids())
            code, out = guard(statement)
            expect(code == 0, "confirmed: exit %d\n%s" % (code, out))
            expect("sentinel: undo copy " in out, "no line naming the undo copy:\n" + out)
            new = [i for i in undo_ids() if i not in ids]
            expect(len(new) == 1, "undo copies: %s" % new)
            if name == "drop":
                expect(sql("SELECT to_regclass('users') IS NULL") == "t", "the table is still there")
            else:
                expect(sql("SELECT count(*) FROM users WHERE email <> ''") == "0", "the statement did not do its work")
            code, out = restore(new[0])
            expect(code == 0, "restore: exit %d\n%s" % (code, out))
            expect(sql(DIGEST) == before, "restored table differs from before:\n" + out)
            return out

        run_check("DELETE: 12,000 of 12,000 rows; refused keeps them; confirmed and restored is identical",
                lambda: round_trip("delete", "DELETE FROM users WHERE created_at < '2024-01-01'",
                                   "DELETE on public.users: 12,000 of 12,000 rows (every row)"))
        run_check("UPDATE without WHERE: previewed, copied, set back by primary key",
                lambda: round_trip("update", "UPDATE users SET email = ''",
                                   "UPDATE on public.users: 12,000 of 12,000 rows (every row)"))
        run_check("TRUNCATE: previewed with its size, copied, put back",
                lambda: round_trip("truncate", "TRUNCATE users", "TRUNCATE public.users: 12,000 rows"))
        run_check("DROP TABLE: previewed, dumped with pg_dump, recreated",
                lambda: round_trip("drop", "DROP TABLE users", "DROP TABLE public.users: 12,000 rows"))

        def concurrent_writer():
            sql(SEED)
            stop = threading.Event()
            inserted = []

            def writer():
                while not stop.is_set():
                    try:
                        out = c.sql("INSERT INTO users (created_at, email) VALUES ('2020-01-01', 'w') RETURNING id",
                                    dbname="app")
                        inserted.append(int(out.split()[0]))
                    except Exception:
                        pass
            t = threading.Thread(target=writer)
            t.start()
            time.sleep(0.3)
            ids_before = set(undo_ids())
            code, out = guard("DELETE FROM users WHERE created_at < '2024-01-01'")
            stop.set()
            t.join()
            expect(code == 0, "exit %d\n%s" % (code, out))
            new = [i for i in undo_ids() if i not in ids_before]
            expect(len(new) == 1, "undo copies %s" % new)
            remaining = set(int(x) for x in sql("SELECT id FROM users").split())
            everything = set(range(1, 12001)) | set(inserted)
            deleted = everything - remaining
            copy_dir = os.path.join(state, "sentinel", "undo", new[0])
            copied = set()
            for name in os.listdir(copy_dir):
                if name.endswith(".rows.copy"):
                    copied |= set(int(line.split("\t")[0]) for line in open(os.path.join(copy_dir, name)))
            expect(inserted, "the writer inserted nothing")
            expect(copied == deleted, "copy %d rows, deleted %d; only in copy %s, only deleted %s"
                   % (len(copied), len(deleted), sorted(copied - deleted)[:5], sorted(deleted - copied)[:5]))
        run_check("a concurrent writer: the undo copy holds exactly the deleted rows", concurrent_writer)

        def volatile_where():
            sql(SEED)
            sql("CREATE TABLE IF NOT EXISTS marks (at timestamptz DEFAULT now())",
                "CREATE OR REPLACE FUNCTION mark(i int) RETURNS boolean LANGUAGE plpgsql AS "
                "$$ BEGIN INSERT INTO marks DEFAULT VALUES; RETURN i < 0; END $$")
            sql("CREATE OR REPLACE VIEW marked AS SELECT id FROM users WHERE mark(id)")
            for statement in ("DELETE FROM users WHERE random() < 0.5", "DELETE FROM users WHERE mark(id)",
                              "DELETE FROM users WHERE id IN (SELECT id FROM marked)"):
                code, out = run_pty([BIN, "guard", "--", psql, "-X", "-c", statement], env(),
                                    [("expect", ASK), ("send", b"\x04")], timeout=60)
                expect(code == 77, "exit %d" % code)
                expect("about" in out and ("volatile" in out or "not a plain table" in out),
                       "no estimate shown:\n" + out)
            sql("DROP VIEW marked")
            expect(sql("SELECT count(*) FROM marks") == "0", "the preview ran the function")
            expect(sql("SELECT count(*) FROM users") == "12000", "rows were deleted")
        run_check("a volatile WHERE is never run by the preview; the banner says about", volatile_where)

        def full_disk():
            sql(SEED)
            full = os.path.join(tmp, "full")
            os.makedirs(full)
            if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", full]).returncode != 0:
                raise AssertionError("cannot mount a tmpfs (needs root)")
            try:
                with open(os.path.join(full, "filler"), "wb") as f:
                    try:
                        f.write(b"x" * (1 << 20))
                    except OSError:
                        pass
                code, out = guard("DELETE FROM users WHERE created_at < '2024-01-01'", extra_env={"XDG_STATE_HOME": full})
                expect(code == 77, "exit %d\n%s" % (code, out))
                expect(sql("SELECT count(*) FROM users") == "12000", "rows deleted without a copy")
            finally:
                subprocess.run(["umount", full])
        run_check("a full disk under undo = required: not run, exit 77, all rows there", full_disk)

        def no_primary_key():
            sql("DROP TABLE IF EXISTS loose; CREATE TABLE loose (a int, b text); "
                "INSERT INTO loose SELECT g, 'b' || g FROM generate_series(1, 50) g")
            before = sql("SELECT md5(string_agg(t::text, ',' ORDER BY a)) FROM loose t")
            ids = set(undo_ids())
            code, out = guard("UPDATE loose SET b = 'x' WHERE a > 10")
            expect(code == 0, "update: %d\n%s" % (code, out))
            new = [i for i in undo_ids() if i not in ids]
            code, out = restore(new[0])
            expect(code != 0 and "no primary key or replica identity" in out, "update restore: %d\n%s" % (code, out))
            sql("UPDATE loose SET b = 'b' || a")
            ids = set(undo_ids())
            code, out = guard("DELETE FROM loose WHERE a > 10")
            expect(code == 0, "delete: %d\n%s" % (code, out))
            new = [i for i in undo_ids() if i not in ids]
            code, out = restore(new[0])
            expect(code == 0, "delete restore: %d\n%s" % (code, out))
            expect(sql("SELECT md5(string_agg(t::text, ',' ORDER BY a)) FROM loose t") == before, "loose differs")
        run_check("no primary key: update restore refused with the reason, delete restore works", no_primary_key)

        def show_sanitised():
            sql("DROP TABLE IF EXISTS notes; CREATE TABLE notes (id int PRIMARY KEY, body text); "
                "INSERT INTO notes VALUES (1, E'a\\x1b[31mred\\x1b]0;title\\x07 \\u202Eevil')")
            ids = set(undo_ids())
            code, out = guard("DELETE FROM notes")
            expect(code == 0, "delete: %d\n%s" % (code, out))
            new = [i for i in undo_ids() if i not in ids][0]
            p = subprocess.run([BIN, "undo", "show", new], env=env(), capture_output=True)
            expect(p.returncode == 0, p.stderr)
            shown = p.stdout
            expect(b"\x1b" not in shown and b"\x07" not in shown and "\u202e".encode() not in shown,
                   "raw control bytes: %r" % shown)
            expect(b"\\e[31mred" in shown and b"\\u{202e}" in shown, "escapes not visible: %r" % shown)
            d = os.path.join(state, "sentinel", "undo", new)
            expect(os.stat(d).st_mode & 0o777 == 0o700, "directory mode")
            for n in os.listdir(d):
                expect(os.stat(os.path.join(d, n)).st_mode & 0o777 == 0o600, "file mode of " + n)
            manifest = open(os.path.join(d, "manifest.json")).read()
            expect("password" not in manifest, "manifest names a password")
            audit = subprocess.run([BIN, "audit", "--json", "--lines", "1000"], env=env(), capture_output=True,
                                   text=True).stdout
            expect('"undo":"%s"' % new in audit, "no audit record with the undo id")
            expect('"action":"restore"' in audit, "restores are not audited")
        run_check("undo show prints visible escapes only; modes 0700/0600; audited with the id", show_sanitised)

        def dry_run():
            sql(SEED)
            p = subprocess.run([BIN, "guard", "--dry-run", "--", psql, "-X", "-c", "DELETE FROM users"], env=env(),
                               capture_output=True, text=True, start_new_session=True)
            expect(p.returncode == 0, p.stderr)
            expect("12,000 of 12,000 rows" in p.stdout and "decision:" in p.stdout, p.stdout)
            expect(sql("SELECT count(*) FROM users") == "12000", "dry run deleted")
        run_check("--dry-run prints the preview and the decision, runs nothing", dry_run)

        def slow_preview():
            sql(SEED)
            os.makedirs(os.path.join(tmp, "config", "sentinel"), exist_ok=True)
            with open(os.path.join(tmp, "config", "sentinel", "config.toml"), "w") as f:
                f.write("preview_timeout = 0.3\n")
            sql("CREATE OR REPLACE FUNCTION slow(i int) RETURNS boolean LANGUAGE sql STABLE AS "
                "$$ SELECT pg_sleep(0.01) IS NULL $$")
            try:
                code, out = run_pty([BIN, "guard", "--", psql, "-X", "-c", "DELETE FROM users WHERE slow(id)"], env(),
                                    [("expect", ASK), ("send", b"\x04")], timeout=60)
                expect(code == 77 and "about" in out and "longer than" in out, "slow count:\n" + out)
            finally:
                os.unlink(os.path.join(tmp, "config", "sentinel", "config.toml"))
        run_check("a count over the timeout falls back to the estimate; the question still comes", slow_preview)

        def script_in_one_transaction():
            sql(SEED)
            before = sql(DIGEST)
            script = os.path.join(tmp, "script.sql")
            with open(script, "w") as f:
                f.write("DELETE FROM users WHERE id <= 10;\nUPDATE users SET email = 'x' WHERE id > 11990;\n")
            ids = set(undo_ids())
            code, out = run_pty([BIN, "guard", "--", psql, "-X", "-1", "-f", script], env(),
                                [("expect", ASK), ("send", b"prod\n")], timeout=60)
            expect(code == 0 and "DELETE 10" in out and "UPDATE 10" in out, "exit %d\n%s" % (code, out))
            expect("no copy" not in out, "a statement went without a copy:\n" + out)
            new = [i for i in undo_ids() if i not in ids]
            expect(len(new) == 1, "undo copies %s" % new)
            m = json.loads(subprocess.run([BIN, "undo", "list", "--json"], env=env(), capture_output=True,
                                          text=True).stdout)[-1]
            expect([p["kind"] for p in m["parts"]] == ["DELETE", "UPDATE"], "parts %s" % m["parts"])
            code, out = restore(new[0])
            expect(code == 0, "restore: %d\n%s" % (code, out))
            expect(sql(DIGEST) == before, "restored table differs:\n" + out)
            # Without -1 psql commits each statement alone: the question says so and asks again.
            code, out = run_pty([BIN, "guard", "--", psql, "-X", "-f", script], env(),
                                [("expect", ASK), ("send", b"prod\n"), ("expect", "no undo copy will be kept"),
                                 ("expect", ASK), ("send", b"no\n")], timeout=60)
            expect(code == 77 and "run it with -1" in out, "exit %d\n%s" % (code, out))
            expect(sql(DIGEST) == before, "refused the second time, yet the table changed")
        run_check("a script: copied whole with -1 and restored; without -1 the question says which statements have "
                "no copy and asks again", script_in_one_transaction)

        def piped_sql():
            sql(SEED)
            ids = set(undo_ids())
            code, out = run_pty(["/bin/sh", "-c", 'echo "DELETE FROM users WHERE id <= 7;" | "$@"', "sh", BIN, "guard",
                                 "--", psql, "-X"], env(), [("expect", "7 of 12,000 rows"), ("expect", ASK),
                                                             ("send", b"prod\n")], timeout=60)
            expect(code == 0 and "DELETE 7" in out, "exit %d\n%s" % (code, out))
            expect(len([i for i in undo_ids() if i not in ids]) == 1, "no undo copy for piped SQL")
        run_check("SQL piped on stdin: previewed and copied", piped_sql)

        def over_the_limit():
            sql(SEED)
            os.makedirs(os.path.join(tmp, "config", "sentinel"), exist_ok=True)
            conf = os.path.join(tmp, "config", "sentinel", "config.toml")
            with open(conf, "w") as f:
                f.write("undo_max_bytes = 1000\n")
            try:
                ids = set(undo_ids())
                code, out = run_pty([BIN, "guard", "--", psql, "-X", "-c", "DELETE FROM users WHERE id <= 500"], env(),
                                    [("expect", "above undo_max_bytes"), ("expect", ASK), ("send", b"prod\n"),
                                     ("expect", "no undo copy will be kept"), ("expect", ASK), ("send", b"prod\n")],
                                    timeout=60)
                expect(code == 0 and "DELETE 500" in out, "exit %d\n%s" % (code, out))
                expect(not [i for i in undo_ids() if i not in ids], "a copy above the limit was kept")
            finally:
                os.unlink(conf)
        run_check("a copy above undo_max_bytes: the question says so and asks again", over_the_limit)

        def failed_preview():
            sql(SEED)
            sql("DROP ROLE IF EXISTS outsider; CREATE ROLE outsider LOGIN")
            with open(service_file, "a") as f:
                f.write("\n[prod-outsider]\nhost=127.0.0.1\nport=%d\ndbname=app\nuser=outsider\n" % c.port)
            code, out = run_pty([BIN, "guard", "--", psql, "-X", "-c", "DELETE FROM users"],
                                env(PGSERVICE="prod-outsider"), [("expect", ASK), ("send", b"\x04")], timeout=60)
            expect(code == 77 and "no preview (" in out and "permission denied" in out, "exit %d\n%s" % (code, out))
        run_check("a preview without permission says so; the question still comes", failed_preview)

        def schema_and_database():
            sql("DROP SCHEMA IF EXISTS old CASCADE; CREATE SCHEMA old; CREATE TABLE old.a (x int); "
                "CREATE TABLE old.b (y int); INSERT INTO old.a SELECT generate_series(1, 1000)")
            c.sql("DROP DATABASE IF EXISTS scratch", "CREATE DATABASE scratch")
            c.sql("CREATE TABLE t1 (a int)", "CREATE TABLE t2 (a int)", "CREATE TABLE t3 (a int)", dbname="scratch")
            p = subprocess.run([BIN, "guard", "--dry-run", "--", psql, "-X", "-c", "DROP SCHEMA old CASCADE"], env=env(),
                               capture_output=True, text=True, start_new_session=True)
            expect(p.returncode == 0 and "DROP SCHEMA old CASCADE: 2 tables," in p.stdout and "go with it" in p.stdout,
                   p.stdout + p.stderr)
            p = subprocess.run([BIN, "guard", "--dry-run", "--", psql, "-X", "-c", "DROP DATABASE scratch"], env=env(),
                               capture_output=True, text=True, start_new_session=True)
            expect(p.returncode == 0 and "DROP DATABASE scratch: 3 tables," in p.stdout, p.stdout + p.stderr)
            expect(sql("SELECT count(*) FROM pg_namespace WHERE nspname = 'old'") == "1", "dry run dropped")
        run_check("DROP SCHEMA CASCADE and DROP DATABASE: what goes with them", schema_and_database)

        def restore_conflicts_and_force():
            sql(SEED)
            before = sql(DIGEST)
            ids = set(undo_ids())
            code, out = guard("DELETE FROM users WHERE id <= 100")
            expect(code == 0, "delete: %d\n%s" % (code, out))
            new = [i for i in undo_ids() if i not in ids][0]
            sql("INSERT INTO users (id, created_at, email) VALUES (1, '2025-01-01', 'back'), (2, '2025-01-01', 'back')")
            code, out = run_pty([BIN, "undo", "restore", new, "--dry-run"], env(), [], timeout=60)  # a read: no question
            expect(code == 1 and "98 rows would be put back" in out and "2 rows conflict" in out, "dry: %d\n%s" % (code, out))
            expect(sql("SELECT count(*) FROM users") == "11902", "dry run changed the table")
            code, out = restore(new)
            expect(code == 1 and "98 rows put back" in out and "(1), (2)" in out, "conflicts: %d\n%s" % (code, out))
            expect(sql("SELECT email FROM users WHERE id = 1") == "back", "a conflicting row was overwritten")
            code, out = restore(new, "--force")
            expect(code == 0 and "overwritten (--force)" in out, "force: %d\n%s" % (code, out))
            expect(sql(DIGEST) == before, "forced restore differs")
        run_check("restore: conflicts listed and left alone, --dry-run changes nothing, --force overwrites",
                restore_conflicts_and_force)

        def best_effort_and_pruning():
            sql(SEED)
            os.makedirs(os.path.join(tmp, "config", "sentinel"), exist_ok=True)
            conf = os.path.join(tmp, "config", "sentinel", "config.toml")
            with open(conf, "w") as f:
                f.write('undo = "best-effort"\nundo_keep_days = 1\n')
            try:
                ro = os.path.join(tmp, "ro-state")
                os.makedirs(ro)
                subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,ro", "tmpfs", ro], check=True)
                try:
                    code, out = guard("DELETE FROM users WHERE id <= 5", extra_env={"XDG_STATE_HOME": ro})
                finally:
                    subprocess.run(["umount", ro])
                expect(code == 0 and "warning: no undo copy" in out and "DELETE 5" in out, "exit %d\n%s" % (code, out))
                old_id = "20200101-000000-abcdef"
                old = os.path.join(state, "sentinel", "undo", old_id)
                os.makedirs(old, mode=0o700)
                with open(os.path.join(old, "manifest.json"), "w") as f:
                    json.dump({"id": old_id, "unix_time": 1577836800, "target": {}, "parts": []}, f)
                code, out = guard("DELETE FROM users WHERE id <= 10")
                expect(code == 0, "exit %d\n%s" % (code, out))
                expect(not os.path.exists(old), "a copy older than undo_keep_days was kept")
            finally:
                os.unlink(conf)
        run_check("best-effort on a read-only home warns and runs; old copies are pruned", best_effort_and_pruning)

        return summary()
    finally:
        pg_cluster.stop_all()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
