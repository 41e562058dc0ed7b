"""Real forwarders for the reach tests (Python 3 standard library only): an
sshd started on a loopback port with a generated host key and an authorized
key, `ssh -L` through it, socat, pgbouncer (run as the postgres user), a
program named `kubectl` on PATH that forwards like `kubectl port-forward`,
and a small HTTPS server answering kubectl for the kube-system namespace.

Every process is started by `Procs` and killed by its `close()` (also at
exit); every port comes from pg_cluster.free_port(). Not a test itself.
"""

import atexit
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import http.server

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import testlib  # noqa: E402
from pg_cluster import free_port  # noqa: E402

FAKE_KUBECTL = r'''#!/usr/bin/env python3
"""A stand-in for `kubectl port-forward ... LOCAL:REMOTE`: listens on
127.0.0.1:LOCAL and forwards every connection to $FAKE_KUBECTL_TARGET
(host:port), the way kubectl forwards to a pod."""
import os, socket, sys, threading
local = next(a for a in sys.argv[1:] if ":" in a and a.split(":")[0].isdigit()).split(":")[0]
host, port = os.environ["FAKE_KUBECTL_TARGET"].rsplit(":", 1)
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(local)))
server.listen(16)
def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
while True:
    client, _ = server.accept()
    upstream = socket.create_connection((host, int(port)))
    threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
    threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
'''


def require_programs(*programs):
    """Skips the calling test (testlib.skip) unless every program is on PATH
    or in /usr/sbin (sshd)."""
    missing = [p for p in programs if not (shutil.which(p) or os.path.exists(os.path.join("/usr/sbin", p)))]
    if missing:
        testlib.skip("needs " + ", ".join(missing))


def require_root(why):
    """Skips the calling test (testlib.skip) unless it runs as root."""
    if os.geteuid() != 0:
        testlib.skip("needs root (%s)" % why)


def wait_listening(port, host="127.0.0.1", timeout=15.0):
    """True once something accepts on host:port."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


class Procs:
    """Processes started for a test, killed (whole process group) on close()."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.procs = []
        atexit.register(self.close)

    def start(self, argv, env=None, user=None, **kw):
        if user:
            argv = ["runuser", "-u", user, "--"] + list(argv)
        p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=kw.pop("stderr", subprocess.DEVNULL), start_new_session=True, **kw)
        self.procs.append(p)
        return p

    def close(self):
        for p in self.procs:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                p.wait(5)
            except Exception:
                pass
        self.procs = []

    # ---------------------------------------------------------------- socat
    def socat(self, listen_port, target, user=None, options=()):
        """socat forwarding 127.0.0.1:listen_port to target ("host:port")."""
        p = self.start(["socat", *options, "TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr,fork" % listen_port,
                        "TCP:%s" % target], user=user)
        if not wait_listening(listen_port):
            raise RuntimeError("socat did not listen on %d" % listen_port)
        return p

    # ------------------------------------------------------------------ ssh
    def sshd(self):
        """An sshd on 127.0.0.1 (root only: privilege separation); returns
        (port, login user, client key path)."""
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        # sshd reads the authorized keys as the user logging in: the directory
        # and the file must be readable by it (they hold only public keys).
        d = os.path.join(self.tmp, "ssh")
        os.makedirs(d)
        os.chmod(self.tmp, 0o755)
        os.chmod(d, 0o755)
        for name in ("host", "client"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", os.path.join(d, name)], check=True)
        shutil.copy(os.path.join(d, "client.pub"), os.path.join(d, "authorized_keys"))
        os.chmod(os.path.join(d, "authorized_keys"), 0o644)
        port = free_port()
        with open(os.path.join(d, "sshd_config"), "w") as f:
            f.write("Port %d\nListenAddress 127.0.0.1\nHostKey %s\nPidFile %s\nAuthorizedKeysFile %s\n"
                    "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
                    "PermitRootLogin prohibit-password\nAllowTcpForwarding yes\nStrictModes no\nLogLevel ERROR\n"
                    % (port, os.path.join(d, "host"), os.path.join(d, "sshd.pid"),
                       os.path.join(d, "authorized_keys")))
        sshd = shutil.which("sshd") or "/usr/sbin/sshd"
        self.start([sshd, "-D", "-e", "-f", os.path.join(d, "sshd_config")])
        if not wait_listening(port):
            raise RuntimeError("sshd did not listen on %d" % port)
        return port, login_user(), os.path.join(d, "client")

    def ssh_forward(self, sshd, listen_port, target, extra=()):
        """ssh -N -L listen_port:target through the sshd of `sshd`."""
        port, user, key = sshd
        p = self.start(["ssh", "-N", "-F", "/dev/null", "-i", key, "-o", "BatchMode=yes",
                        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                        "-o", "ExitOnForwardFailure=yes", *extra, "-p", str(port),
                        "-L", "%d:%s" % (listen_port, target), "%s@127.0.0.1" % user])
        if not wait_listening(listen_port):
            raise RuntimeError("ssh -L did not listen on %d" % listen_port)
        return p

    # ------------------------------------------------------------ pgbouncer
    def pgbouncer(self, listen_port, databases):
        """pgbouncer (as the postgres user) on 127.0.0.1:listen_port with
        `databases` lines for [databases]; returns the ini path."""
        d = os.path.join(self.tmp, "pgbouncer")
        os.makedirs(d)
        os.chmod(self.tmp, 0o755)
        os.chmod(d, 0o777)
        ini = os.path.join(d, "pgbouncer.ini")
        with open(ini, "w") as f:
            f.write("[databases]\n%s\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = %d\n"
                    "unix_socket_dir =\nauth_type = any\nlogfile = %s\npidfile = %s\npool_mode = session\n"
                    % ("\n".join(databases), listen_port, os.path.join(d, "log"), os.path.join(d, "pid")))
        os.chmod(ini, 0o644)
        self.start(["pgbouncer", ini], user="postgres")
        if not wait_listening(listen_port):
            raise RuntimeError("pgbouncer did not listen on %d:\n%s" % (listen_port, read(os.path.join(d, "log"))))
        return ini

    # -------------------------------------------------------------- kubectl
    def fake_kubectl(self, bin_dir, argv, target, env):
        """Starts a program named kubectl (on PATH through `bin_dir`) with
        `argv` after its name, forwarding to `target` ("host:port")."""
        path = os.path.join(bin_dir, "kubectl")
        if not os.path.exists(path):
            os.makedirs(bin_dir, exist_ok=True)
            with open(path, "w") as f:
                f.write(FAKE_KUBECTL)
            os.chmod(path, 0o755)
        env = dict(env, PATH=bin_dir + ":" + env.get("PATH", "/usr/bin:/bin"), FAKE_KUBECTL_TARGET=target)
        p = self.start(["kubectl", *argv], env=env)
        local = int(next(a for a in argv if ":" in a and a.split(":")[0].isdigit()).split(":")[0])
        if not wait_listening(local):
            raise RuntimeError("the fake kubectl did not listen on %d" % local)
        return p


def login_user():
    """A user sshd lets log in with a key (its password field not locked)."""
    try:
        with open("/etc/shadow") as f:
            locked = {l.split(":")[0] for l in f if l.split(":")[1].startswith("!")}
    except OSError:
        locked = set()
    for user in ("nobody", "root", "postgres"):
        if user not in locked:
            return user
    return "root"


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


class KubeApi:
    """A small HTTPS server answering GET /api/v1/namespaces/kube-system
    with the Namespace in `self.namespace` (uid, labels, annotations); every
    request path is recorded in `self.paths`."""

    def __init__(self, tmp):
        self.namespace = {"uid": "uid-1234", "labels": {}, "annotations": {}}
        self.paths = []
        cert, key = os.path.join(tmp, "api.crt"), os.path.join(tmp, "api.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-keyout", key, "-out", cert], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                api.paths.append(self.path)
                if self.path.split("?")[0] != "/api/v1/namespaces/kube-system":
                    self.send_response(404)
                    self.end_headers()
                    return
                body = json.dumps({"kind": "Namespace", "apiVersion": "v1",
                                   "metadata": {"name": "kube-system", **api.namespace}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
