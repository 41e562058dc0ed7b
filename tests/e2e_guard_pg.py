#!/usr/bin/env python3
"""End-to-end: `sentinel guard -- psql` against real PostgreSQL 15 servers.

Two throwaway servers (tests/pg_cluster.py), A and B, each with a database
`app` holding a `users` table of 12,000 rows (half created before 2024).
A service file names `prod` (production by the built-in rules) -> A and `dev`
-> A.  Checks (issue 5, "Checked by"):

- `psql -c "DELETE FROM users WHERE created_at < '2024-01-01'"` through the
  guard, unconfirmed (no terminal; wrong answer), leaves all 12,000 rows;
  confirmed, it deletes;
- an interactive psql on production opens read-only (a DELETE fails) and its
  prompt shows the tier; with --write, after confirming, the DELETE works;
- SQL piped on stdin is classified (a DELETE without WHERE is shown);
- the service file rewritten to point at B while the question is open: the
  guard asks again (refused here), and neither server loses the row;
- the service file rewritten after the confirmation, just before psql
  connects: the statement still reaches A, the confirmed server (pinning);
- a dev target runs without a question.

Environment: SENTINEL_BIN, PG_BINDIR (see pg_cluster.py).
"""

import os
import sys

import pg_cluster
from testlib import BIN, TempHome, expect, run_check, run_no_tty, run_pty, summary
ASK = "to go ahead"
DELETE_OLD = "DELETE FROM users WHERE created_at < '2024-01-01'"



def setup(c):
    c.create_database("app")
    c.sql("CREATE TABLE users (id serial PRIMARY KEY, created_at date NOT NULL)",
          "INSERT INTO users (created_at) SELECT CASE WHEN g % 2 = 0 THEN date '2023-06-01' "
          "ELSE date '2024-06-01' END FROM generate_series(1, 12000) g", dbname="app")


def count(c, where="true"):
    return int(c.sql("SELECT count(*) FROM users WHERE " + where, dbname="app").strip())


def main():
    pg_cluster.require_postgres()
    a, b = pg_cluster.start_clusters("guard-a", "guard-b")
    box = TempHome("sentinel-guard-pg-")
    tmp = box.dir
    try:
        for c in (a, b):
            setup(c)
        service_file = os.path.join(tmp, "pg_service.conf")

        def write_service(prod_port):
            text = ("[prod]\nhost=127.0.0.1\nport=%d\ndbname=app\nuser=postgres\n\n"
                    "[dev]\nhost=127.0.0.1\nport=%d\ndbname=app\nuser=postgres\n" % (prod_port, a.port))
            with open(service_file + ".tmp", "w") as f:
                f.write(text)
            os.replace(service_file + ".tmp", service_file)

        write_service(a.port)
        psql = os.path.join(a.bindir, "psql")
        swap_dir = os.path.join(tmp, "swap")
        os.makedirs(swap_dir)
        swap = os.path.join(swap_dir, "psql")
        with open(swap, "w") as f:  # rewrites the service file, then runs the real psql
            f.write("#!/bin/sh\nprintf '[prod]\\nhost=127.0.0.1\\nport=%d\\ndbname=app\\nuser=postgres\\n' > '%s'\n"
                    "exec '%s' \"$@\"\n" % (b.port, service_file, psql))
        os.chmod(swap, 0o755)
        def env(service="prod", **extra):
            e = box.env(PATH=a.bindir + ":/usr/bin:/bin", TERM="xterm", PGSERVICEFILE=service_file,
                        PGSERVICE=service, PGCONNECT_TIMEOUT="10")
            e.update(extra)
            return e

    
        def unconfirmed():
            code, out, err = run_no_tty([BIN, "guard", "--", psql, "-X", "-c", DELETE_OLD], env())
            expect(code == 77, "no terminal: exit %d %s" % (code, err))
            code, out = run_pty([BIN, "guard", "--", psql, "-X", "-c", DELETE_OLD], env(),
                                [("expect", ASK), ("send", b"PROD\n")])
            expect(code == 77, "wrong answer: exit %d\n%s" % (code, out))
            expect("DELETE" in out and "service=prod" in out, "banner:\n" + out)
            expect(count(a) == 12000, "rows deleted: %d left" % count(a))
        run_check("unconfirmed DELETE leaves all 12,000 rows", unconfirmed)

        def confirmed():
            code, out = run_pty([BIN, "guard", "--", psql, "-X", "-c", DELETE_OLD], env(),
                                [("expect", ASK), ("send", b"prod\n")])
            expect(code == 0 and "DELETE 6000" in out, "exit %d\n%s" % (code, out))
            expect(count(a) == 6000 and count(b) == 12000, "A %d, B %d" % (count(a), count(b)))
        run_check("confirmed DELETE deletes (on the confirmed server only)", confirmed)

        def interactive_read_only():
            code, out = run_pty([BIN, "guard", "--", psql, "-X"], env(),
                                [("expect", "PROD opened read-only"), ("send", b"DELETE FROM users WHERE id = 1;\n"),
                                 ("expect", "read-only transaction"), ("send", b"\\q\n")])
            expect(code in (0, 1) and ASK not in out, "exit %d\n%s" % (code, out))
            expect(count(a, "id = 1") == 1, "row 1 deleted")
        run_check("interactive psql on production is read-only, prompt shows the tier", interactive_read_only)

        def interactive_write():
            code, out = run_pty([BIN, "guard", "--", psql, "-X", "--write"], env(),
                                [("expect", ASK), ("send", b"prod\n"), ("expect", "PROD"),
                                 ("send", b"DELETE FROM users WHERE id = 1;\n"), ("expect", "DELETE 1"),
                                 ("send", b"\\q\n")])
            expect(code == 0, "exit %d\n%s" % (code, out))
            expect(count(a, "id = 1") == 0, "row 1 still there")
        run_check("interactive psql --write asks, then writes", interactive_write)

        def piped_sql():
            code, out, err = run_no_tty([BIN, "guard", "--", psql, "-X"], env(), input_bytes=b"delete from users;\n")
            expect(code == 77 and count(a) == 5999, "piped delete: exit %d, %d rows" % (code, count(a)))
            code, out = run_pty(["/bin/sh", "-c", 'echo "delete from users;" | "$@"', "sh", BIN, "guard", "--", psql,
                                 "-X"], env(), [("expect", ASK), ("send", b"\x04")])
            expect(code == 77 and "DELETE without WHERE" in out and "delete from users" in out, out)
            code, out, err = run_no_tty([BIN, "guard", "--", psql, "-X", "-At"], env(),
                                        input_bytes=b"select count(*) from users;\n")
            expect(code == 0 and out.strip() == "5999", "piped read: %d %r %s" % (code, out, err))
        run_check("SQL piped on stdin is classified; reads pass", piped_sql)

        def changed_while_asking():
            write_service(a.port)
            code, out = run_pty([BIN, "guard", "--", psql, "-X", "-c", "DELETE FROM users WHERE id = 3"], env(),
                                [("expect", ASK), ("edit", lambda: write_service(b.port)), ("send", b"prod\n"),
                                 ("expect", "changed")])
            expect(code == 77, "exit %d\n%s" % (code, out))
            expect('port "%d" \u2192 "%d"' % (a.port, b.port) in out and out.count(ASK) == 1,
                   "refused saying from what to what, not asked again:\n" + out)
            expect(count(a, "id = 3") == 1 and count(b, "id = 3") == 1, "row 3 deleted somewhere")
        run_check("service file rewritten while the question is open: refused (77), from what to what",
                  changed_while_asking)

        def pinned_after_confirmation():
            write_service(a.port)
            code, out = run_pty([BIN, "guard", "--tool", "psql", "--", swap, "-X", "-c",
                                 "DELETE FROM users WHERE id = 5"], env(),
                                [("expect", ASK), ("send", b"prod\n")])
            expect(code == 0 and "DELETE 1" in out, "exit %d\n%s" % (code, out))
            expect(count(a, "id = 5") == 0, "the confirmed server A was not reached")
            expect(count(b, "id = 5") == 1, "the new server B was reached")
            expect("port=%d" % b.port in open(service_file).read(), "the swap did not happen")
        run_check("service file rewritten after confirming: the command reaches the confirmed server",
                pinned_after_confirmation)

        def dev_silent():
            write_service(a.port)
            code, out, err = run_no_tty([BIN, "guard", "--", psql, "-X", "-At", "-c",
                                         "INSERT INTO users (created_at) VALUES (now()) RETURNING 1"], env("dev"))
            expect(code == 0 and out.strip().startswith("1"), "dev: %d %r %s" % (code, out, err))
        run_check("a dev target runs without a question", dev_silent)

        def password_pinned_not_printed():
            write_service(a.port)
            stub_dir = os.path.join(tmp, "stub")
            os.makedirs(stub_dir, exist_ok=True)
            stub = os.path.join(stub_dir, "psql")
            record = os.path.join(tmp, "stub-record")
            with open(stub, "w") as f:
                f.write("#!/bin/sh\nprintf '%%s\\n' \"$@\" > '%s'\nenv > '%s.env'\n" % (record, record))
            os.chmod(stub, 0o755)
            canary = "CANARYpw7"
            code, out, err = run_no_tty([BIN, "guard", "--tool", "psql", "--", stub, "-X", "-d",
                                         "service=prod password=" + canary, "-c", "DELETE FROM users WHERE id = 7"],
                                        env(service="", SENTINEL_CONFIRM="prod"))
            expect(code == 0, "override: %d %s" % (code, err))
            argv = open(record).read().splitlines()
            envs = dict(l.split("=", 1) for l in open(record + ".env").read().splitlines() if "=" in l)
            expect(canary not in "\n".join(argv), "password in argv: %s" % argv)
            expect(envs.get("PGPASSWORD") == canary, "password did not reach psql")
            expect("PGSERVICE" not in envs and "PGSERVICEFILE" not in envs, "service variables kept")
            conninfo = argv[argv.index("-d") + 1]
            expect("host='127.0.0.1'" in conninfo and "port='%d'" % a.port in conninfo and "dbname='app'" in conninfo,
                   "conninfo %s" % conninfo)
            logged = run_no_tty([BIN, "audit", "--json", "--lines", "1000"], env())[1]
            expect(canary not in out + err + logged, "password printed or audited")
        run_check("a password in the conninfo reaches psql via PGPASSWORD, never argv, output or audit",
                password_pinned_not_printed)

        def audited():
            p = run_no_tty([BIN, "audit", "--json", "--lines", "100"], env())
            expect("\"decision\":\"confirmed\"" in p[1] and "\"kind\":\"pg\"" in p[1], p[1])
            expect("\"action\":\"DELETE\"" in p[1], "statement kind not audited")
            expect("created_at" not in p[1], "statement text in the audit log")
        run_check("pg questions audited with the statement kind, never the text", audited)

        return summary()
    finally:
        pg_cluster.stop_all()
        box.close()


if __name__ == "__main__":
    sys.exit(main())
