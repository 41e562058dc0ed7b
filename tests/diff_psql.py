#!/usr/bin/env python3
"""Differential test: `sentinel status --json -- psql ARGS` against the real psql.

Starts two throwaway PostgreSQL servers (tests/pg_cluster.py):

  A  127.0.0.1:PA and socket dir SA; databases orders, inventory and one named
     after the OS user; roles app, report and the OS user.
  B  127.0.0.1:PB and socket dir SB; databases orders, warehouse; roles app,
     auditor.

For every scenario (controlled environment: PATH, HOME=<scenario home>, LANG=C,
PGSYSCONFDIR=<scenario dir>, XDG_CONFIG_HOME=<empty dir>,
SENTINEL_SYSTEM_CONFIG=<missing file>, plus the scenario's variables and
files) it runs

  psql -X -At -c "select current_setting('port'), current_database(),
                  current_user, inet_server_addr()" -c '\\echo :HOST' ARGS
  sentinel status --json -- psql ARGS

and compares sentinel's first pg target with what psql reached (port, dbname,
user, and host as PQhost reports it, via psql's :HOST variable).  Scenarios
where libpq fails before connecting (service not found, bad service file,
bad conninfo, ...) must give pg targets of tier "unknown" with problems.
Scenarios where psql resolves but cannot connect (no server at the default
socket directory, ...) compare host/port (and dbname/user when the server's
error names them) parsed from psql's error message.  Secret scenarios check
that a canary password never appears in sentinel's stdout or stderr.

The oracle is the psql executable itself (default: the psql next to the
server binaries, /usr/lib/postgresql/15/bin/psql), not Debian's
/usr/bin/psql, which is the pg_wrapper Perl script: when no host, port or
service is explicit on the command line or in PGHOST/PGPORT/PGSERVICE, the
wrapper sets PGHOST/PGPORT (and maybe PGDATABASE) for a local cluster and
PGSYSCONFDIR=/etc/postgresql-common, which changes e.g. PQhost for
`psql "hostaddr=127.0.0.1 ..."`.  Override with PSQL=/path/to/psql.

Environment: SENTINEL_BIN (path to sentinel; default <repo>/build/sentinel),
PSQL, PG_BINDIR, PG_CLUSTER_KEEP=1 (keep server dirs), DIFF_PSQL_VERBOSE=1.
Options: --oracle-only (run only psql; checks the scenarios' expectations
about libpq), -k SUBSTRING (run only matching scenarios), -v.

Output: one line per scenario, `ok NAME` or `FAIL NAME: reason`, then
`N passed, M failed`; exit status 1 if anything failed.
"""

import json
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.dont_write_bytecode = True  # no tests/__pycache__ in the source tree
import pg_cluster  # noqa: E402
from testlib import BIN, check, summary  # noqa: E402

CANARY = "CANARY" + secrets.token_hex(8)
QUERY = ("select current_setting('port'), current_database(), current_user, "
         "inet_server_addr()")
VERBOSE = os.environ.get("DIFF_PSQL_VERBOSE") == "1"

# libpq errors raised while it settles the connection options, i.e. before
# any connection attempt (psql exits 2 with "psql: error: <message>").
PRECONNECT_ERRORS = [
    r'definition of service "[^"]*" not found',
    r'service file "[^"]*" not found',
    r'syntax error in service file "[^"]*", line \d+',
    r'nested service specifications not supported in service file',
    r'line \d+ too long in service file',
    r'missing "=" after "[^"]*" in connection info string',
    r'invalid connection option "[^"]*"',
    r'unterminated quoted string in connection info string',
    r'invalid URI query parameter',
    r'in URI( query parameter)?: "',
    r'invalid URI propagated',
    r'could not match \d+ port numbers to \d+ hosts',
    r'could not match \d+ host names to \d+ hostaddr values',
    r'invalid integer value "[^"]*" for connection option',
    r'invalid port number',
    r'could not parse network address',
]


# --------------------------------------------------------------- scenarios
class S:
    """One scenario.

    expect: "connect"  psql connects; compare with what it reached
            "unknown"  libpq fails before connecting (error must match
                       `error`, a regex); sentinel's pg targets are unknown
            "connfail" psql resolves but the connection fails; compare
                       host/port (dbname/user if the error names them)
            "static"   run psql ARGS as given (e.g. -l), it must succeed;
                       compare with `want`
    want:    extra expectations on sentinel's first target (field -> value)
    targets: list of dicts, expectations on targets[i] (static values)
    ntargets: exact number of pg targets expected
    files:   {relative path under the scenario dir: content}; the scenario
             dir holds home/ (HOME), sys/ (PGSYSCONFDIR), xdg/
    env:     variables added to the base env; value None removes one
    secret:  check that CANARY never appears in sentinel's output
    """

    def __init__(self, name, args, env=None, files=None, expect="connect",
                 error=None, want=None, targets=None, ntargets=None,
                 secret=False, note="", reached=0):
        self.name = name
        self.args = args
        self.env = env or {}
        self.files = files or {}
        self.expect = expect
        self.error = error
        self.want = want or {}
        self.targets = targets
        self.ntargets = ntargets
        self.secret = secret
        self.note = note
        self.reached = reached  # index of the target psql ended up on


def build_scenarios(c):
    """c: dict with PA, PB (ports as str), SA, SB (socket dirs), ME (OS
    user), CANARY, SAQ (percent-encoded SA)."""
    PA, PB, SA, SB, ME = c["PA"], c["PB"], c["SA"], c["SB"], c["ME"]
    CAN = c["CANARY"]

    def svc(name, **kv):
        return "[%s]\n" % name + "".join("%s=%s\n" % (k, v) for k, v in kv.items())

    home_file = (
        "# user service file\n"
        + svc("homesvc", host="127.0.0.1", port=PA, dbname="inventory", user="report")
        + svc("both", host=SA, port=PA, dbname="orders", user="app")
        + svc("partial", port=PB))
    sys_file = (
        "# system service file\n"
        + svc("syssvc", host="127.0.0.1", port=PB, dbname="warehouse", user="auditor")
        + svc("both", host="127.0.0.1", port=PB, dbname="warehouse", user="app"))
    custom_file = (
        svc("custom", host=SB, port=PB, dbname="orders", user="auditor")
        + svc("both", host="127.0.0.1", port=PB, dbname="orders", user="app"))
    std_files = {"home/.pg_service.conf": home_file,
                 "sys/pg_service.conf": sys_file,
                 "custom.conf": custom_file}

    messy = ("this line is junk but outside the wanted section\r\n"
             "   # indented comment\r\n"
             "[other]\r\n"
             "junk without equals sign\r\n"
             "host=10.255.255.1\r\n"
             "\r\n"
             "[messy] trailing text after the bracket is ignored\r\n"
             "  host=127.0.0.1\r\n"
             "#port=1\r\n"
             "port=%s\r\n"
             "port=%s\r\n"          # duplicate key: the first one wins
             "dbname=orders   \r\n"  # trailing blanks are stripped
             "user=app\r\n"
             "[messy]\r\n"           # duplicate section: never read
             "port=%s\r\n"
             "user=auditor\r\n"
             "bogus line in a later section\r\n") % (PA, PB, PB)

    L = []
    add = L.append

    # ---- environment variables alone
    add(S("env_only_socket", [],
          env=dict(PGHOST=SA, PGPORT=PA, PGDATABASE="orders", PGUSER="app")))
    add(S("env_only_tcp", [],
          env=dict(PGHOST="127.0.0.1", PGPORT=PB, PGDATABASE="warehouse",
                   PGUSER="auditor")))
    add(S("env_defaults_user_and_dbname", [],
          env=dict(PGHOST=SA, PGPORT=PA),
          want=dict(user=ME, dbname=ME),
          note="user defaults to the OS user, dbname to the user"))
    add(S("env_pghostaddr", ["-U", "app", "orders"],
          env=dict(PGHOSTADDR="127.0.0.1", PGPORT=PA),
          want=dict(hostaddr="127.0.0.1"),
          note="no host: PQhost reports the hostaddr"))
    add(S("env_pghost_plus_hostaddr_conninfo",
          ["hostaddr=127.0.0.1 port=%s dbname=orders user=app" % PA],
          env=dict(PGHOST=SB),
          want=dict(host=SB, hostaddr="127.0.0.1"),
          note="PQhost is PGHOST (a socket dir of B) but the connection goes "
               "to hostaddr 127.0.0.1 on PA"))
    add(S("conninfo_hostaddr_only",
          ["hostaddr=127.0.0.1 port=%s dbname=inventory user=report" % PA],
          want=dict(host="127.0.0.1", hostaddr="127.0.0.1")))
    add(S("env_dbname_conninfo_not_expanded", [],
          env=dict(PGHOST=SA, PGPORT=PA, PGUSER="app",
                   PGDATABASE="dbname=orders port=1"),
          expect="connfail", error=r'database "dbname=orders port=1" does not exist',
          want=dict(dbname="dbname=orders port=1"),
          note="PGDATABASE is never expanded as a conninfo"))
    add(S("env_pghost_empty_is_default_socket", ["-p", PA, "-U", "app", "orders"],
          env=dict(PGHOST=""), expect="connfail",
          want=dict(host="/var/run/postgresql")))

    # ---- psql argv forms
    add(S("argv_short", ["-h", "127.0.0.1", "-p", PA, "-U", "report", "-d", "inventory"]))
    add(S("argv_long_equals", ["--host=" + SA, "--port=" + PA, "--dbname=orders",
                               "--username=report"]))
    add(S("argv_long_separate", ["--host", "127.0.0.1", "--port", PB, "--dbname",
                                 "warehouse", "--username", "auditor"]))
    add(S("argv_long_prefixes", ["--ho", "127.0.0.1", "--po=" + PA, "--usern", "app",
                                 "--db", "orders"],
          note="getopt_long accepts unambiguous prefixes"))
    add(S("argv_attached", ["-h127.0.0.1", "-p" + PB, "-Uauditor", "-dwarehouse"]))
    add(S("argv_clustered", ["-qh" + SA, "-p", PA, "-U", "app", "inventory"]))
    add(S("argv_other_options_with_values",
          ["-v", "x=orders", "--set", "y=1", "-P", "pager=off", "-T", "class=x",
           "-L", "/dev/null", "--variable=z=2", "-qnw", "-h", "127.0.0.1", "-p", PB,
           "-U", "auditor", "warehouse"],
          note="values of -v/-P/-T/-L are not positional arguments"))
    add(S("argv_overrides_env", ["-h", SA, "-p", PA, "-U", "app", "-d", "orders"],
          env=dict(PGHOST=SB, PGPORT=PB, PGUSER="auditor", PGDATABASE="warehouse")))
    add(S("argv_partial_env_fills", ["-p", PB, "warehouse"],
          env=dict(PGHOST="127.0.0.1", PGPORT=PA, PGUSER="auditor")))
    add(S("argv_empty_host_ignored", ["-h", "", "-p", PA, "-U", "app", "orders"],
          env=dict(PGHOST=SA),
          note="psql -h '' is an empty array value: libpq ignores it, PGHOST applies"))
    add(S("argv_last_wins", ["-h", SB, "-h", "127.0.0.1", "-p", PB, "-p", PA,
                             "-d", "inventory", "-d", "orders", "-U", "auditor",
                             "-U", "app"]))
    add(S("positional_db_user", ["-h", "127.0.0.1", "-p", PA, "orders", "report"]))
    add(S("positional_user_after_d", ["-h", "127.0.0.1", "-p", PA, "-d", "inventory",
                                      "report"],
          note="with -d, the first positional argument is the user"))
    add(S("positional_interleaved", ["inventory", "-h", SA, "report", "-p", PA]))
    add(S("positional_extra_ignored", ["-U", "app", "-h", "127.0.0.1", "-p", PA,
                                       "orders", "report"],
          note='-U given: "report" is an extra argument psql ignores'))
    add(S("double_dash_ends_options", ["-h", "127.0.0.1", "-p", PA, "--", "orders",
                                       "report"]))
    add(S("list_defaults_dbname_postgres", ["-l", "-h", "127.0.0.1", "-p", PB,
                                            "-U", "auditor"],
          env=dict(PGDATABASE="warehouse"), expect="static",
          want=dict(host="127.0.0.1", port=PB, user="auditor", dbname="postgres"),
          note="psql -l uses dbname=postgres when no dbname is given, "
               "overriding PGDATABASE and services"))

    # ---- conninfo strings as the dbname argument
    add(S("conninfo_positional", ["host=127.0.0.1 port=%s dbname=orders user=app" % PA]))
    add(S("conninfo_quoted_spaces",
          ["host = '%s'  port= '%s' dbname ='inventory' user=report" % (SA, PA)]))
    add(S("conninfo_d_overrides_h_before",
          ["-h", SB, "-p", PB, "-U", "auditor", "-d",
           "host=127.0.0.1 port=%s dbname=orders user=app" % PA]))
    add(S("conninfo_d_overrides_h_after",
          ["-d", "host=%s port=%s dbname=inventory" % (SA, PA), "-h", SB, "-p", PB,
           "-U", "report"],
          note="the expanded dbname overrides host/port whatever the argv order; "
               "-U still applies since the conninfo has no user"))
    add(S("conninfo_partial_argv_fills", ["-d", "dbname=orders user=app", "-h",
                                          "127.0.0.1", "-p", PA]))
    add(S("conninfo_plus_positional_user",
          ["host=127.0.0.1 port=%s dbname=orders" % PA, "report"]))
    add(S("conninfo_user_beats_positional_user",
          ["host=127.0.0.1 port=%s dbname=orders user=app" % PA, "report"]))
    add(S("conninfo_empty_dbname_is_user",
          ["host=%s port=%s user=app dbname=''" % (SA, PA)],
          env=dict(PGDATABASE="orders"), expect="connfail",
          error=r'database "app" does not exist', want=dict(dbname="app"),
          note="an explicit empty dbname blocks PGDATABASE and defaults to the user"))
    add(S("conninfo_host_quoted_empty_default_socket",
          ["host='' port=%s dbname=orders user=app" % PA],
          env=dict(PGHOST=SA), expect="connfail",
          want=dict(host="/var/run/postgresql"),
          note="host='' blocks PGHOST; the default socket directory applies"))
    add(S("conninfo_host_eq_space_swallows_next",
          ["host= port=%s dbname=orders user=app" % PA],
          env=dict(PGHOST=SA), expect="connfail",
          want=dict(host="port=%s" % PA),
          note="blanks after '=' are skipped, so host's value is 'port=PA'"))

    # ---- URIs
    add(S("uri_basic", ["postgresql://app@127.0.0.1:%s/orders" % PA]))
    add(S("uri_postgres_scheme", ["postgres://auditor@127.0.0.1:%s/warehouse" % PB]))
    add(S("uri_query_port_overrides", ["postgresql://app@127.0.0.1:%s/orders?port=%s"
                                       % (PB, PA)]))
    add(S("uri_query_host_socket", ["postgresql:///inventory?host=%s&port=%s&user=report"
                                    % (SA, PA)]))
    add(S("uri_percent_encoded_socket", ["postgresql://%s:%s/orders?user=app"
                                         % (c["SAQ"], PA)]))
    add(S("uri_env_fills", ["postgresql://127.0.0.1/inventory"],
          env=dict(PGPORT=PA, PGUSER="report")))
    add(S("uri_user_beats_argv_U", ["-U", "report", "postgresql://app@127.0.0.1:%s/orders"
                                    % PA]))
    add(S("uri_no_user_argv_U", ["-U", "report", "postgresql://127.0.0.1:%s/orders" % PA]))
    add(S("multi_host", ["host=127.0.0.1,%s port=%s,%s dbname=orders user=app"
                         % (SB, PA, PB)],
          ntargets=2,
          targets=[dict(host="127.0.0.1", port=PA),
                   dict(host=SB, port=PB, dbname="orders", user="app")],
          note="first host is up: psql connects to it"))
    add(S("multi_host_single_port", ["host=%s,127.0.0.1 port=%s dbname=inventory "
                                     "user=report" % (SA, PA)],
          ntargets=2,
          targets=[dict(host=SA, port=PA),
                   dict(host="127.0.0.1", port=PA, dbname="inventory", user="report")],
          note="one port applies to every host"))
    add(S("multi_host_uri_first_down", ["postgresql://%%2Fnonexistent-sentinel-a,127.0.0.1:%s,"
                                        "%s:%s/orders?user=app" % (PA, c["SBQ"], PB)],
          env=dict(PGPORT=PB), ntargets=3, reached=1,
          targets=[dict(host="/nonexistent-sentinel-a", port="5432"),
                   dict(host="127.0.0.1", port=PA),
                   dict(host=SB, port=PB)],
          note="a host without port in a URI list gets 5432, not PGPORT; psql "
               "skips the dead first host"))
    add(S("multi_host_all_down_empty_port", ["host=/nonexistent-sentinel-a,"
                                             "/nonexistent-sentinel-b port=,%s "
                                             "dbname=orders user=app" % PA],
          env=dict(PGPORT=PB), expect="connfail", ntargets=2,
          targets=[dict(host="/nonexistent-sentinel-a", port="5432"),
                   dict(host="/nonexistent-sentinel-b", port=PA)],
          note="an empty element of a port list means 5432, even with PGPORT set"))

    # ---- service files: locations and precedence
    add(S("svc_pgservicefile", [], env=dict(PGSERVICEFILE="{R}/custom.conf",
                                            PGSERVICE="custom"),
          files=std_files, want=dict(service="custom")))
    add(S("svc_home_file", [], env=dict(PGSERVICE="homesvc"), files=std_files,
          want=dict(service="homesvc")))
    add(S("svc_sysconfdir_file", [], env=dict(PGSERVICE="syssvc"), files=std_files,
          want=dict(service="syssvc")))
    add(S("svc_user_file_beats_system", [], env=dict(PGSERVICE="both"),
          files=std_files, want=dict(service="both", host=SA, port=PA)))
    add(S("svc_pgservicefile_replaces_home", [],
          env=dict(PGSERVICEFILE="{R}/custom.conf", PGSERVICE="both"),
          files=std_files, want=dict(host="127.0.0.1", port=PB, dbname="orders")))
    add(S("svc_pgservicefile_falls_back_to_system", [],
          env=dict(PGSERVICEFILE="{R}/custom.conf", PGSERVICE="syssvc"),
          files=std_files, want=dict(port=PB, dbname="warehouse")))
    add(S("svc_pgservicefile_missing_home_has_it", [],
          env=dict(PGSERVICEFILE="{R}/missing.conf", PGSERVICE="homesvc"),
          files=std_files, expect="unknown", error=r'service file "[^"]*missing.conf" not found',
          note="libpq 15.20: a PGSERVICEFILE that does not exist is an error; "
               "~/.pg_service.conf is not consulted"))
    add(S("svc_pgservicefile_missing_system_has_it", [],
          env=dict(PGSERVICEFILE="{R}/missing.conf", PGSERVICE="syssvc"),
          files=std_files, expect="unknown", error=r'service file "[^"]*missing.conf" not found'))
    add(S("svc_pgservicefile_missing_no_service", ["-h", "127.0.0.1", "-p", PA, "-U",
                                                   "app", "orders"],
          env=dict(PGSERVICEFILE="{R}/missing.conf"), files=std_files,
          note="without a service, PGSERVICEFILE is never looked at"))
    add(S("svc_pgservicefile_is_directory", [],
          env=dict(PGSERVICEFILE="{R}/home", PGSERVICE="syssvc"), files=std_files,
          note="a directory stats fine, reads as empty; the system file follows"))
    add(S("svc_not_found", [], env=dict(PGSERVICE="nosuch"), files=std_files,
          expect="unknown", error=r'definition of service "nosuch" not found'))
    add(S("svc_empty_pgservice", ["-h", "127.0.0.1", "-p", PA, "-U", "app", "orders"],
          env=dict(PGSERVICE=""), files=std_files, expect="unknown",
          error=r'definition of service "" not found',
          note="PGSERVICE set but empty is looked up as the service ''"))
    add(S("svc_not_found_anywhere_without_files", ["service=homesvc"],
          env=dict(HOME="{R}/nohome", PGSYSCONFDIR="{R}/nosys"), expect="unknown",
          error=r'definition of service "homesvc" not found'))
    add(S("svc_conninfo_beats_pgservice", ["service=syssvc"],
          env=dict(PGSERVICE="homesvc"), files=std_files, want=dict(service="syssvc")))
    add(S("svc_uri_query_service", ["postgresql:///orders?service=syssvc"],
          files=std_files, want=dict(service="syssvc", dbname="orders")))
    add(S("svc_beats_env", [],
          env=dict(PGSERVICE="homesvc", PGHOST=SB, PGPORT=PB, PGDATABASE="warehouse",
                   PGUSER="auditor"), files=std_files,
          want=dict(host="127.0.0.1", port=PA, dbname="inventory", user="report")))
    add(S("svc_partial_env_fills", [],
          env=dict(PGSERVICE="partial", PGHOST="127.0.0.1", PGPORT=PA,
                   PGDATABASE="warehouse", PGUSER="auditor"), files=std_files,
          want=dict(port=PB)))
    add(S("svc_argv_beats_service", ["-p", PA, "-U", "app", "-d", "orders"],
          env=dict(PGSERVICE="syssvc"), files=std_files,
          want=dict(host="127.0.0.1", port=PA, dbname="orders", user="app")))
    add(S("svc_conninfo_values_beat_service", ["service=syssvc dbname=orders user=app"],
          files=std_files, want=dict(dbname="orders", user="app", port=PB)))
    add(S("svc_argv_h_beats_service_in_conninfo", ["-h", SB, "service=syssvc"],
          files=std_files, want=dict(host=SB, port=PB)))

    # ---- service file syntax (compare with psql)
    add(S("svcfile_junk_crlf_dups", [],
          env=dict(PGSERVICEFILE="{R}/messy.conf", PGSERVICE="messy"),
          files={"messy.conf": messy},
          want=dict(host="127.0.0.1", port=PA, dbname="orders", user="app"),
          note="junk outside the section, CRLF, '#', leading blanks, text after ']' "
               "are fine; first duplicate key and first duplicate section win"))
    add(S("svcfile_junk_inside_section", [],
          env=dict(PGSERVICEFILE="{R}/bad.conf", PGSERVICE="x"),
          files={"bad.conf": "[x]\nhost=127.0.0.1\njunk\nport=%s\n" % PA},
          expect="unknown", error=r'syntax error in service file "[^"]*bad.conf", line 3'))
    add(S("svcfile_space_before_equals", [],
          env=dict(PGSERVICEFILE="{R}/bad.conf", PGSERVICE="x"),
          files={"bad.conf": "[x]\nhost =127.0.0.1\nport=%s\n" % PA},
          expect="unknown", error=r'syntax error in service file "[^"]*bad.conf", line 2'))
    add(S("svcfile_unknown_keyword", [],
          env=dict(PGSERVICEFILE="{R}/bad.conf", PGSERVICE="x"),
          files={"bad.conf": "[x]\nhost=127.0.0.1\nfavourite=blue\nport=%s\n" % PA},
          expect="unknown", error=r'syntax error in service file "[^"]*bad.conf", line 3'))
    add(S("svcfile_nested_service", [],
          env=dict(PGSERVICEFILE="{R}/bad.conf", PGSERVICE="x"),
          files={"bad.conf": "[x]\nservice=y\n[y]\nhost=127.0.0.1\n"},
          expect="unknown",
          error=r'nested service specifications not supported in service file'))
    add(S("svcfile_section_name_case_sensitive", [],
          env=dict(PGSERVICEFILE="{R}/bad.conf", PGSERVICE="x"),
          files={"bad.conf": "[X]\nhost=127.0.0.1\nport=%s\n" % PA},
          expect="unknown", error=r'definition of service "x" not found'))
    add(S("svcfile_empty_host_beats_pghost", [],
          env=dict(PGSERVICEFILE="{R}/e.conf", PGSERVICE="e", PGHOST=SA),
          files={"e.conf": "[e]\nhost=\nport=%s\ndbname=orders\nuser=app\n" % PA},
          expect="connfail", want=dict(host="/var/run/postgresql", port=PA),
          note="an empty service value is set (not absent): PGHOST is ignored"))
    add(S("svcfile_value_not_trimmed_or_unquoted", [],
          env=dict(PGSERVICEFILE="{R}/q.conf", PGSERVICE="q"),
          files={"q.conf": "[q]\nhost=127.0.0.1\nport=%s\ndbname=orders\nuser='app'\n" % PA},
          expect="connfail", error=r'role "\'app\'" does not exist',
          want=dict(user="'app'")))

    # ---- libpq failures before connecting
    add(S("bad_port_not_integer", ["-h", "127.0.0.1", "-p", "abc", "-U", "app", "orders"],
          expect="unknown", error=r'invalid integer value "abc" for connection option "port"'))
    add(S("bad_port_count", ["host=127.0.0.1,127.0.0.1,127.0.0.1 port=%s,%s dbname=orders"
                             % (PA, PB)],
          expect="unknown", error=r'could not match 2 port numbers to 3 hosts'))
    add(S("bad_conninfo_missing_equals", ["host=127.0.0.1 port"],
          expect="unknown", error=r'missing "=" after "port" in connection info string'))
    add(S("bad_conninfo_invalid_option", ["host=127.0.0.1 bogus=1"],
          expect="unknown", error=r'invalid connection option "bogus"'))
    add(S("bad_conninfo_unterminated", ["host='127.0.0.1 dbname=orders"],
          expect="unknown", error=r'unterminated quoted string'))
    add(S("bad_uri_query_param", ["postgresql://127.0.0.1:%s/orders?bogus=1" % PA],
          expect="unknown", error=r'invalid URI query parameter: "bogus"'))
    add(S("bad_service_in_uri", ["postgresql:///orders?service=nosuch"], files=std_files,
          expect="unknown", error=r'definition of service "nosuch" not found'))

    # ---- secrets
    add(S("secret_pgpassword", ["-h", "127.0.0.1", "-p", PA, "-U", "app", "orders"],
          env=dict(PGPASSWORD=CAN), secret=True))
    add(S("secret_conninfo_password", ["host=127.0.0.1 port=%s dbname=orders user=app "
                                       "password=%s" % (PA, CAN)], secret=True))
    add(S("secret_uri_password", ["postgresql://app:%s@127.0.0.1:%s/orders" % (CAN, PA)],
          secret=True))
    add(S("secret_service_password", [],
          env=dict(PGSERVICEFILE="{R}/p.conf", PGSERVICE="p"),
          files={"p.conf": "[p]\nhost=%s\nport=%s\ndbname=orders\nuser=report\npassword=%s\n"
                 % (SA, PA, CAN)}, secret=True))
    add(S("secret_in_bad_conninfo", ["host=127.0.0.1 password='%s bogus=1" % CAN],
          expect="unknown", error=r'unterminated quoted string', secret=True))
    add(S("secret_in_bad_uri", ["postgresql://app:%s@[::1/orders" % CAN],
          expect="unknown", error=r'IPv6 host address', secret=True,
          note="libpq's own error message quotes the whole URI, password included"))
    add(S("secret_password_in_bad_service_file", [],
          env=dict(PGSERVICEFILE="{R}/p.conf", PGSERVICE="p"),
          files={"p.conf": "[p]\npassword=%s\nhost=127.0.0.1\nbroken line %s\n"
                 % (CAN, CAN)},
          expect="unknown", error=r'syntax error in service file', secret=True))
    return L


# ----------------------------------------------------------------- helpers
def decode(b):
    return b.decode("utf-8", "replace")


def preconnect_error(stderr):
    for pat in PRECONNECT_ERRORS:
        if re.search(pat, stderr):
            return True
    return False


def parse_connfail(stderr):
    """What a failed connection names: {"attempts": [{host, port[, hostaddr]}
    per host tried, in order], "dbname"/"user" when the server's error names
    them}."""
    attempts = []
    pat = re.compile(
        r'connection to server on socket "(?P<sock>.*?)/\.s\.PGSQL\.(?P<sport>\d+)" failed'
        r'|connection to server at "(?P<host>[^"]*)"(?: \((?P<addr>[^)]*)\))?, '
        r'port (?P<port>\d+) failed'
        r'|could not translate host name "(?P<dns>[^"]*)" to address')
    for m in pat.finditer(stderr):
        if m.group("sock") is not None:
            attempts.append({"host": m.group("sock"), "port": m.group("sport")})
        elif m.group("host") is not None:
            a = {"host": m.group("host"), "port": m.group("port")}
            if m.group("addr"):
                a["hostaddr"] = m.group("addr")
            attempts.append(a)
        else:
            attempts.append({"host": m.group("dns")})
    got = {"attempts": attempts}
    m = re.search(r'FATAL:  database "(.*)" does not exist', stderr)
    if m:
        got["dbname"] = m.group(1)
    m = re.search(r'FATAL:  role "(.*)" does not exist', stderr)
    if m:
        got["user"] = m.group(1)
    return got


def pg_targets(doc):
    ts = doc.get("targets")
    if not isinstance(ts, list):
        return None
    return [t for t in ts if isinstance(t, dict) and t.get("kind") == "pg"]


def sval(v):
    return "" if v is None else str(v)


class Runner:
    def __init__(self, sentinel, psql, ctx, workdir, oracle_only=False):
        self.sentinel = sentinel
        self.psql = psql
        self.ctx = ctx
        self.workdir = workdir
        self.oracle_only = oracle_only
        self.counter = 0

    def prepare(self, sc):
        self.counter += 1
        root = os.path.join(self.workdir, "s%02d" % self.counter)
        for d in ("home", "sys", "xdg"):
            os.makedirs(os.path.join(root, d), exist_ok=True)
        for rel, content in sc.files.items():
            p = os.path.join(root, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w", newline="") as f:
                f.write(content)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "HOME": os.path.join(root, "home"),
               "LANG": "C",
               "PGSYSCONFDIR": os.path.join(root, "sys"),
               "XDG_CONFIG_HOME": os.path.join(root, "xdg"),
               "SENTINEL_SYSTEM_CONFIG": os.path.join(root, "nonexistent",
                                                      "sentinel.toml")}
        for k, v in sc.env.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v.replace("{R}", root)
        args = [a.replace("{R}", root) for a in sc.args]
        return env, args, root

    def run_psql(self, sc, env, args):
        if sc.expect == "static":
            argv = [self.psql, "-X"] + args
        else:
            argv = [self.psql, "-X", "-At", "-c", QUERY, "-c", "\\echo :HOST"] + args
        p = subprocess.run(argv, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                           timeout=30)
        return p.returncode, decode(p.stdout), decode(p.stderr)

    def run_sentinel(self, env, args):
        argv = [self.sentinel, "status", "--json", "--", "psql"] + args
        p = subprocess.run(argv, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                           timeout=30)
        return p.returncode, decode(p.stdout), decode(p.stderr)

    # Returns (expected dict for target 0, list of oracle problems)
    def oracle(self, sc, rc, out, err):
        exp = {}
        probs = []
        if sc.expect == "connect":
            lines = out.splitlines()
            if rc != 0 or len(lines) < 2:
                probs.append("psql did not connect (rc=%d): %s" % (rc, err.strip()))
                return exp, probs
            cols = lines[0].split("|")
            exp = {"port": cols[0], "dbname": cols[1], "user": cols[2],
                   "host": lines[1]}
        elif sc.expect == "static":
            if rc != 0:
                probs.append("psql failed (rc=%d): %s" % (rc, err.strip()))
        elif sc.expect == "unknown":
            if rc == 0:
                probs.append("psql connected although libpq was expected to fail: "
                             + out.strip().replace("\n", " / "))
            elif not preconnect_error(err):
                probs.append("psql failed, but not in libpq's option processing: "
                             + err.strip())
        elif sc.expect == "connfail":
            if rc == 0:
                probs.append("psql connected although it was expected to fail: "
                             + out.strip().replace("\n", " / "))
            elif preconnect_error(err):
                probs.append("psql failed in libpq's option processing: " + err.strip())
            else:
                got = parse_connfail(err)
                if not got["attempts"]:
                    probs.append("cannot parse psql's error: " + err.strip())
                else:
                    self.attempts = got.pop("attempts")
                    exp = dict(self.attempts[0])
                    exp.update(got)
        for k, v in exp.items():
            if k in sc.want and sc.want[k] != v:
                probs.append("psql reached %s=%r, the scenario expects %r"
                             % (k, v, sc.want[k]))
        if sc.error and not re.search(sc.error, err):
            probs.append("psql's error does not match /%s/: %s" % (sc.error,
                                                                   err.strip() or "(none)"))
        return exp, probs

    def check(self, sc):
        self.attempts = []
        env, args, root = self.prepare(sc)
        rc, out, err = self.run_psql(sc, env, args)
        exp, probs = self.oracle(sc, rc, out, err)
        if probs:
            return ["oracle: " + p for p in probs], err
        if self.oracle_only:
            return [], err
        src, sout, serr = self.run_sentinel(env, args)
        fails = []
        if sc.secret and (CANARY in sout or CANARY in serr):
            where = [n for n, t in (("stdout", sout), ("stderr", serr)) if CANARY in t]
            fails.append("canary password printed on " + " and ".join(where))
        try:
            doc = json.loads(sout)
        except ValueError as e:
            fails.append("stdout is not JSON (%s; exit %d): %r %r"
                         % (e, src, sout[:300], serr[:300]))
            return fails, err
        if not isinstance(doc, dict):
            return fails + ["JSON is not an object"], err
        ts = pg_targets(doc)
        if not ts:
            return fails + ["no pg target in %s" % sout[:400]], err
        if sc.reached >= len(ts):
            return fails + ["%d pg targets; psql reached the server of host #%d"
                            % (len(ts), sc.reached + 1)], err
        t0 = ts[sc.reached]
        if sc.expect == "unknown":
            for i, t in enumerate(ts):
                if t.get("tier") != "unknown":
                    fails.append("target %d: tier %r, want 'unknown' (psql: %s)"
                                 % (i, t.get("tier"), err.strip()))
                if not t.get("problems"):
                    fails.append("target %d: no problems listed (psql: %s)"
                                 % (i, err.strip()))
            return fails, err
        # connect / connfail / static
        want = dict(exp)
        want.update(sc.want)  # static expectations (checked against psql in oracle())
        for k in ("host", "hostaddr", "port", "dbname", "user", "service"):
            if k in want and sval(t0.get(k)) != want[k]:
                fails.append("%s: sentinel %r, %s %r" % (
                    k, t0.get(k), "psql" if k in exp else "want", want[k]))
        if sc.expect == "connect" and t0.get("problems"):
            fails.append("problems listed although psql connected: %r" % t0.get("problems"))
        if sc.ntargets is not None and len(ts) != sc.ntargets:
            fails.append("%d pg targets, want %d" % (len(ts), sc.ntargets))
        if sc.expect == "connfail" and sc.ntargets:
            # every host libpq tried is named in psql's error
            for i, a in enumerate(self.attempts):
                if i < len(ts):
                    for k, v in a.items():
                        if sval(ts[i].get(k)) != v:
                            fails.append("target %d %s: sentinel %r, psql tried %r"
                                         % (i, k, ts[i].get(k), v))
        for i, w in enumerate(sc.targets or []):
            if i >= len(ts):
                break
            for k, v in w.items():
                if sval(ts[i].get(k)) != v:
                    fails.append("target %d %s: sentinel %r, want %r"
                                 % (i, k, ts[i].get(k), v))
        return fails, err


# -------------------------------------------------------------------- main
def find_psql():
    p = os.environ.get("PSQL")
    if p:
        return p
    try:
        cand = os.path.join(pg_cluster.find_bindir(), "psql")
        if os.path.isfile(cand):
            return cand
    except pg_cluster.PgClusterError:
        pass
    return shutil.which("psql") or "psql"


def setup_servers():
    me = pwd.getpwuid(os.geteuid()).pw_name
    a, b = pg_cluster.start_clusters("a", "b")
    q = pg_cluster.PgCluster._ident
    stmts = ['CREATE ROLE app LOGIN', 'CREATE ROLE report LOGIN']
    if me not in ("postgres", "app", "report"):
        stmts.append("CREATE ROLE %s LOGIN" % q(me))
    stmts += ['CREATE DATABASE orders OWNER app',
              'CREATE DATABASE inventory OWNER report']
    if me not in ("postgres", "orders", "inventory"):
        stmts.append("CREATE DATABASE %s" % q(me))
    a.sql(*stmts)
    b.sql('CREATE ROLE app LOGIN', 'CREATE ROLE auditor LOGIN',
          'CREATE DATABASE orders OWNER app',
          'CREATE DATABASE warehouse OWNER auditor')
    return a, b, me


def main(argv):
    oracle_only = "--oracle-only" in argv
    only = None
    if "-k" in argv:
        only = argv[argv.index("-k") + 1]
    global VERBOSE
    VERBOSE = VERBOSE or "-v" in argv

    sentinel = BIN
    if not oracle_only and not check("setup: the sentinel binary is executable", os.access(sentinel, os.X_OK),
                                     "%s (set SENTINEL_BIN)" % sentinel):
        return summary()
    pg_cluster.require_postgres()
    psql = find_psql()
    t0 = time.time()
    workdir = tempfile.mkdtemp(prefix="diff-psql-")
    try:
        try:
            a, b, me = setup_servers()
        except Exception as e:
            check("setup: start two PostgreSQL servers", False, e)
            return summary()
        ctx = {"PA": str(a.port), "PB": str(b.port), "SA": a.socket_dir,
               "SB": b.socket_dir, "ME": me, "CANARY": CANARY,
               "SAQ": urllib.parse.quote(a.socket_dir, safe=""),
               "SBQ": urllib.parse.quote(b.socket_dir, safe="")}
        if VERBOSE:
            print("# psql=%s sentinel=%s A=%s:%s B=%s:%s (setup %.1fs)"
                  % (psql, sentinel, a.socket_dir, a.port, b.socket_dir, b.port,
                     time.time() - t0))
        runner = Runner(sentinel, psql, ctx, workdir, oracle_only)
        for sc in build_scenarios(ctx):
            if only and only not in sc.name:
                continue
            try:
                fails, err = runner.check(sc)
            except subprocess.TimeoutExpired as e:
                fails, err = ["timeout: %s" % " ".join(e.cmd[:6])], ""
            except Exception as e:  # keep going
                fails, err = ["exception: %r" % e], ""
            check(sc.name, not fails, "; ".join(fails))
            if VERBOSE and not fails and err.strip():
                print("    # psql: " + err.strip().splitlines()[0], flush=True)
    finally:
        pg_cluster.stop_all()
        if os.environ.get("PG_CLUSTER_KEEP") != "1":
            shutil.rmtree(workdir, ignore_errors=True)
    if VERBOSE:
        print("# %.1fs" % (time.time() - t0))
    return summary()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
