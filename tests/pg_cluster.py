"""Throwaway PostgreSQL servers for tests (Python 3 standard library only).

Usage:

    from pg_cluster import PgCluster, find_bindir

    with PgCluster("a") as a:            # initdb + start, stopped on exit
        a.create_role("app")
        a.create_database("orders", owner="app")
        a.port, a.socket_dir, a.host     # "127.0.0.1"

Every server lives in a private temporary directory (owned by the
``postgres`` OS user when running as root, because initdb refuses to run as
root), listens on 127.0.0.1 only on a free TCP port (never 5432) and on a
private unix socket directory (never /var/run/postgresql), with fsync=off and
trust authentication for local and 127.0.0.1 connections.  Servers are
stopped (``pg_ctl stop -m immediate``, then SIGKILL as a fallback) and their
directories removed on ``stop()``, on context-manager exit, at interpreter
exit (atexit) and on SIGTERM/SIGINT/SIGHUP.

Environment knobs:
    PG_BINDIR        directory holding initdb/pg_ctl/postgres/psql
                     (default: newest /usr/lib/postgresql/*/bin, preferring 15)
    PG_CLUSTER_KEEP  if set to 1, keep the data directories for debugging
"""

import atexit
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

__all__ = ["PgCluster", "PgClusterError", "find_bindir", "free_port",
           "require_postgres", "stop_all"]

PREFERRED_MAJOR = "15"
_RUNNING = []          # clusters that may need stopping
_SHUTTING_DOWN = False  # set by the signal handler
_HANDLERS_INSTALLED = False


class PgClusterError(RuntimeError):
    pass


def find_bindir():
    """Directory of the PostgreSQL server binaries."""
    env = os.environ.get("PG_BINDIR")
    if env:
        if not os.path.isfile(os.path.join(env, "initdb")):
            raise PgClusterError("PG_BINDIR=%s has no initdb" % env)
        return env
    pref = "/usr/lib/postgresql/%s/bin" % PREFERRED_MAJOR
    if os.path.isfile(os.path.join(pref, "initdb")):
        return pref
    cands = []
    for d in glob.glob("/usr/lib/postgresql/*/bin"):
        if os.path.isfile(os.path.join(d, "initdb")):
            try:
                cands.append((float(d.split("/")[-2]), d))
            except ValueError:
                pass
    if cands:
        return sorted(cands)[-1][1]
    for d in os.environ.get("PATH", "").split(os.pathsep):
        if d and os.path.isfile(os.path.join(d, "initdb")):
            return d
    raise PgClusterError("no PostgreSQL server binaries (initdb) found; "
                         "install the 'postgresql' package")


def require_postgres():
    """Skips the calling test (testlib.skip) when no PostgreSQL server
    binaries are installed; returns their directory."""
    try:
        return find_bindir()
    except PgClusterError as e:
        import testlib
        testlib.skip(str(e))


_used_ports = set()


def free_port():
    """A currently free TCP port on 127.0.0.1 (never 5432, never reused by
    this process)."""
    for _ in range(100):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        finally:
            s.close()
        if port == 5432 or port in _used_ports or port < 1024:
            continue
        _used_ports.add(port)
        return port
    raise PgClusterError("could not find a free port")


def _port_is_free(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def stop_all():
    """Stop every cluster started by this process (idempotent)."""
    for c in list(_RUNNING):
        try:
            c.stop()
        except Exception as e:  # pragma: no cover - best effort
            sys.stderr.write("pg_cluster: stopping %s failed: %s\n" % (c.name, e))


def _signal_handler(signum, frame):
    global _SHUTTING_DOWN
    _SHUTTING_DOWN = True
    stop_all()
    # unwind normally so that callers' finally blocks run too
    signal.signal(signum, signal.SIG_DFL)
    sys.exit(128 + signum)


def _install_handlers():
    """atexit + SIGTERM/SIGHUP/SIGINT cleanup (signal part only possible
    from the main thread; retried on later calls)."""
    global _HANDLERS_INSTALLED
    import threading
    if _HANDLERS_INSTALLED:
        return
    if threading.current_thread() is not threading.main_thread():
        if not _ATEXIT_DONE:
            _register_atexit()
        return
    _register_atexit()
    _HANDLERS_INSTALLED = True
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        try:
            if signal.getsignal(sig) in (signal.SIG_DFL, None,
                                         signal.default_int_handler):
                signal.signal(sig, _signal_handler)
        except (ValueError, OSError):
            pass


_ATEXIT_DONE = False


def _register_atexit():
    global _ATEXIT_DONE
    if not _ATEXIT_DONE:
        _ATEXIT_DONE = True
        atexit.register(stop_all)


class PgCluster:
    """One throwaway PostgreSQL server."""

    def __init__(self, name="pg", bindir=None, port=None, base_dir=None,
                 superuser="postgres", os_user=None, extra_conf=None):
        self.name = name
        self.bindir = bindir or find_bindir()
        self.superuser = superuser
        self.host = "127.0.0.1"
        self._want_port = port
        self.port = None
        self._base_parent = base_dir
        self.extra_conf = dict(extra_conf or {})
        if os_user is None:
            os_user = "postgres" if os.geteuid() == 0 else None
        self.os_user = os_user
        self.base = None
        self.datadir = None
        self.socket_dir = None
        self.logfile = None
        self.started = False

    # ---------------------------------------------------------------- utils
    def _bin(self, prog):
        return os.path.join(self.bindir, prog)

    def _as_server_user(self, argv):
        if self.os_user is None:
            return list(argv)
        runuser = shutil.which("runuser") or "/sbin/runuser"
        return [runuser, "-u", self.os_user, "--"] + list(argv)

    def _run(self, argv, timeout=120, check=True):
        p = subprocess.run(self._as_server_user(argv), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout,
                           cwd=self.base, env=self._server_env())
        if check and p.returncode != 0:
            raise PgClusterError("%s failed (exit %d):\n%s" % (
                " ".join(argv), p.returncode,
                p.stdout.decode("utf-8", "replace")))
        return p

    def _server_env(self):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "LANG": "C", "LC_ALL": "C"}
        if self.os_user:
            try:
                env["HOME"] = pwd.getpwnam(self.os_user).pw_dir
            except KeyError:
                pass
        elif "HOME" in os.environ:
            env["HOME"] = os.environ["HOME"]
        return env

    def _chown(self, path):
        if self.os_user is None:
            return
        pw = pwd.getpwnam(self.os_user)
        os.chown(path, pw.pw_uid, pw.pw_gid)

    # ------------------------------------------------------------ lifecycle
    def start(self, template=None):
        """initdb (or copy `template`, a stopped, initdb'ed data directory
        of the same major version) and start the server."""
        if self.started:
            return self
        _install_handlers()
        self._prepare_dirs()
        try:
            if template:
                self._copy_datadir(template)
            else:
                self._initdb()
            if _SHUTTING_DOWN:
                raise PgClusterError("interrupted")
            self._start_with_retries()
            if _SHUTTING_DOWN:
                raise PgClusterError("interrupted")
        except BaseException:
            self.stop()
            raise
        return self

    def _prepare_dirs(self):
        parent = self._base_parent
        if parent is None:
            # /tmp keeps socket paths short and is traversable by postgres
            parent = "/tmp" if os.path.isdir("/tmp") else None
        self.base = tempfile.mkdtemp(prefix="pgc-%s-" % self.name, dir=parent)
        os.chmod(self.base, 0o755)
        self._chown(self.base)
        self.datadir = os.path.join(self.base, "data")
        self.socket_dir = os.path.join(self.base, "sock")
        os.mkdir(self.socket_dir)
        os.chmod(self.socket_dir, 0o755)
        self._chown(self.socket_dir)
        self.logfile = os.path.join(self.base, "server.log")
        _RUNNING.append(self)

    def _copy_datadir(self, template):
        shutil.copytree(template, self.datadir, symlinks=True)
        if self.os_user is not None:
            pw = pwd.getpwnam(self.os_user)
            for root, dirs, files in os.walk(self.datadir):
                for n in dirs + files:
                    os.lchown(os.path.join(root, n), pw.pw_uid, pw.pw_gid)
            os.chown(self.datadir, pw.pw_uid, pw.pw_gid)
        os.chmod(self.datadir, 0o700)
        for leftover in ("postmaster.pid", "postmaster.opts"):
            try:
                os.unlink(os.path.join(self.datadir, leftover))
            except OSError:
                pass

    def _initdb(self):
        self._run([self._bin("initdb"), "-D", self.datadir, "-U",
                   self.superuser, "-A", "trust", "-E", "UTF8",
                   "--locale=C", "--no-sync", "--no-instructions"])
        hba = os.path.join(self.datadir, "pg_hba.conf")
        with open(hba, "w") as f:
            f.write("# written by pg_cluster.py\n"
                    "local all all trust\n"
                    "host  all all 127.0.0.1/32 trust\n")
        self._chown(hba)

    def _write_conf(self, port):
        conf = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(port),
            "unix_socket_directories": "'%s'" % self.socket_dir,
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "30",
            "shared_buffers": "16MB",
            "max_wal_senders": "0",
            "wal_level": "minimal",
            "logging_collector": "off",
            "log_min_messages": "warning",
            "dynamic_shared_memory_type": "posix",
        }
        conf.update({k: str(v) for k, v in self.extra_conf.items()})
        path = os.path.join(self.datadir, "postgresql.auto.conf")
        with open(path, "w") as f:
            f.write("# written by pg_cluster.py\n")
            for k, v in conf.items():
                f.write("%s = %s\n" % (k, v))
        self._chown(path)

    def _start_with_retries(self):
        last = None
        for attempt in range(4):
            port = self._want_port if (self._want_port and attempt == 0) \
                else free_port()
            if not _port_is_free(port):
                last = PgClusterError("port %d busy" % port)
                continue
            self._write_conf(port)
            p = self._run([self._bin("pg_ctl"), "-D", self.datadir, "-l",
                           self.logfile, "-w", "-t", "60", "start"],
                          check=False)
            if p.returncode == 0:
                self.port = port
                self.started = True
                return
            last = PgClusterError("pg_ctl start failed on port %d:\n%s\n%s"
                                  % (port, p.stdout.decode("utf-8", "replace"),
                                     self.read_log()))
            self._kill_postmaster()
        raise last

    def read_log(self):
        try:
            with open(self.logfile, errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def _kill_postmaster(self):
        if not self.datadir:
            return
        pidfile = os.path.join(self.datadir, "postmaster.pid")
        try:
            with open(pidfile) as f:
                pid = int(f.readline().strip())
        except (OSError, ValueError):
            return
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass

    def stop(self):
        """Stop the server and remove its directory (idempotent)."""
        if self in _RUNNING:
            _RUNNING.remove(self)
        if self.datadir and os.path.exists(os.path.join(self.datadir,
                                                         "postmaster.pid")):
            try:
                self._run([self._bin("pg_ctl"), "-D", self.datadir, "-m",
                           "immediate", "-w", "-t", "20", "stop"],
                          check=False, timeout=30)
            except Exception:
                pass
            if os.path.exists(os.path.join(self.datadir, "postmaster.pid")):
                self._kill_postmaster()
                time.sleep(0.2)
        self.started = False
        if self.base and os.environ.get("PG_CLUSTER_KEEP") != "1":
            shutil.rmtree(self.base, ignore_errors=True)
            self.base = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    # ------------------------------------------------------------- clients
    def psql_argv(self, dbname="postgres", user=None):
        return [self._bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", self.socket_dir, "-p", str(self.port),
                "-U", user or self.superuser, "-d", dbname]

    def sql(self, *statements, dbname="postgres", user=None, timeout=60):
        """Run each statement as a separate -c (so CREATE DATABASE works);
        return stdout (unaligned, tuples only)."""
        argv = self.psql_argv(dbname, user) + ["-At"]
        for s in statements:
            argv += ["-c", s]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C",
               "PGCONNECT_TIMEOUT": "10"}
        p = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout, env=env)
        if p.returncode != 0:
            raise PgClusterError("psql on %s failed: %s" % (
                self.name, p.stderr.decode("utf-8", "replace")))
        return p.stdout.decode("utf-8", "replace")

    @staticmethod
    def _ident(name):
        return '"%s"' % name.replace('"', '""')

    def create_role(self, name, login=True, superuser=False):
        opts = (" LOGIN" if login else "") + (" SUPERUSER" if superuser else "")
        self.sql("CREATE ROLE %s%s" % (self._ident(name), opts))

    def create_database(self, name, owner=None):
        s = "CREATE DATABASE %s" % self._ident(name)
        if owner:
            s += " OWNER %s" % self._ident(owner)
        self.sql(s)

    def __repr__(self):
        return "<PgCluster %s port=%s socket=%s>" % (self.name, self.port,
                                                     self.socket_dir)


def start_clusters(*names, **kw):
    """Start several clusters (one initdb, copied for the others; servers
    started in parallel threads); returns them in order. On failure all of
    them are stopped."""
    import threading
    _install_handlers()     # must happen in the main thread
    clusters = [PgCluster(n, **kw) for n in names]
    if not clusters:
        return clusters
    try:
        first = clusters[0]
        first._prepare_dirs()
        first._initdb()
        for c in clusters[1:]:
            c._prepare_dirs()
            c._copy_datadir(first.datadir)
    except BaseException:
        for c in clusters:
            c.stop()
        raise
    errors = []

    def go(c):
        try:
            c._start_with_retries()
            if _SHUTTING_DOWN:
                raise PgClusterError("interrupted")
        except BaseException as e:
            errors.append(e)
            c.stop()

    threads = [threading.Thread(target=go, args=(c,)) for c in clusters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        for c in clusters:
            c.stop()
        raise errors[0]
    return clusters


if __name__ == "__main__":
    # smoke test: python3 tests/pg_cluster.py
    t0 = time.time()
    a, b = start_clusters("a", "b")
    try:
        for c in (a, b):
            print(c, c.sql("select current_setting('port'), version()").strip())
        print("started in %.1fs" % (time.time() - t0))
    finally:
        stop_all()
