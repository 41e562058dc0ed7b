#!/usr/bin/env python3
"""The agent's socket and lifecycle (BAD_INPUTS.md rows 21-24): unsafe
runtime directories refused with a message naming the fix, another uid
refused by SO_PEERCRED (runuser -u nobody), 50 agents started at once leave
one, misbehaving clients dropped while others are served, sessions pushed to
subscribers on a file change, SIGTERM exits cleanly."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from testlib import BIN, TempHome, check, kubeconfig, skipped, summary

NOBODY = 65534


def encode(fields):
    esc = lambda s: s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return ("\t".join(esc(f) for f in fields) + "\n").encode()


class Client:
    def __init__(self, path, hello=True):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = b""
        if hello:
            self.send("HELLO", "1", "test")
            assert self.frame()[0] == "HELLO"

    def send(self, *fields):
        self.sock.sendall(encode(fields))

    def frame(self, timeout=2.0):
        """The next frame as a list of fields; None at EOF or timeout."""
        self.sock.settimeout(timeout)
        while b"\n" not in self.buf:
            try:
                data = self.sock.recv(65536)
            except (socket.timeout, ConnectionResetError):
                return None
            if not data:
                return None
            self.buf += data
        line, _, self.buf = self.buf.partition(b"\n")
        out, cur, i = [], "", 0
        text = line.decode(errors="replace")
        while i < len(text):
            ch = text[i]
            if ch == "\t":
                out.append(cur)
                cur = ""
            elif ch == "\\":
                i += 1
                cur += {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[text[i]]
            else:
                cur += ch
            i += 1
        out.append(cur)
        return out

    def close(self):
        self.sock.close()


class Box(TempHome):
    """A home whose agent the test starts itself (foreground, logging)."""

    def __init__(self):
        super().__init__("sentinel-agent-")
        os.chmod(self.dir, 0o755)  # another uid must reach the socket to be refused by the agent
        self.kubeconfig = self.write(os.path.join(self.home, ".kube", "config"),
                                     kubeconfig("staging-eu", ["staging-eu", "prod-eu"]))
        self.sock = os.path.join(self.run_dir, "sentinel", "agent.sock")
        self.log = self.path("agent.log")
        self.procs = []

    def env(self, **extra):
        env = super().env(PATH="/usr/bin:/bin")
        env.update(extra)
        return {k: v for k, v in env.items() if v is not None}

    def start(self):
        p = subprocess.Popen([BIN, "agent", "--foreground", "--log-file", self.log], env=self.env(),
                             stderr=subprocess.PIPE)
        self.procs.append(p)
        end = time.monotonic() + 5
        while not os.path.exists(self.sock) and time.monotonic() < end:
            time.sleep(0.01)
        return p

    def vars(self):
        return ["HOME=" + self.home]

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGCONT)
                p.terminate()
                p.wait(5)
        super().close()


def lock_pid(run_dir):
    try:
        with open(os.path.join(run_dir, "sentinel", "agent.lock")) as f:
            return int(f.read().strip() or 0)
    except (OSError, ValueError):
        return 0


def agents_for(run_dir):
    """Pids of running `sentinel agent` processes using `run_dir`."""
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                args = f.read().split(b"\0")
            with open("/proc/%s/environ" % pid, "rb") as f:
                env = f.read().split(b"\0")
            with open("/proc/%s/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if len(args) > 1 and args[1] == b"agent" and state != "Z" and \
                ("XDG_RUNTIME_DIR=" + run_dir).encode() in env:
            out.append(int(pid))
    return out


def unsafe_dirs():
    base = tempfile.mkdtemp(prefix="sentinel-dirs-")
    os.chmod(base, 0o755)
    try:
        def agent(env):
            e = {"PATH": "/usr/bin:/bin", "HOME": base}
            e.update(env)
            return subprocess.run([BIN, "agent", "--foreground", "--idle-exit=1"], env=e, capture_output=True,
                                  text=True, timeout=10)

        xdg = os.path.join(base, "xdg")
        os.makedirs(os.path.join(xdg, "sentinel"))
        os.chmod(os.path.join(xdg, "sentinel"), 0o755)
        r = agent({"XDG_RUNTIME_DIR": xdg})
        check("runtime dir mode 0755 refused, fix named (%r)" % r.stderr, r.returncode == 78 and "chmod 700" in r.stderr)

        os.chmod(os.path.join(xdg, "sentinel"), 0o700)
        os.chown(os.path.join(xdg, "sentinel"), NOBODY, NOBODY)
        r = agent({"XDG_RUNTIME_DIR": xdg})
        check("runtime dir of another user refused (%r)" % r.stderr, r.returncode == 78 and "owned by uid 65534" in r.stderr)

        shutil.rmtree(os.path.join(xdg, "sentinel"))
        os.makedirs(os.path.join(base, "elsewhere"), mode=0o700)
        os.symlink(os.path.join(base, "elsewhere"), os.path.join(xdg, "sentinel"))
        r = agent({"XDG_RUNTIME_DIR": xdg})
        check("runtime dir symlink refused (%r)" % r.stderr, r.returncode == 78 and "symbolic link" in r.stderr)

        tmp = os.path.join(base, "tmp")
        os.makedirs(tmp)
        fallback = os.path.join(tmp, "sentinel-%d" % os.getuid())
        os.makedirs(fallback, mode=0o700)
        os.chown(fallback, NOBODY, NOBODY)
        r = agent({"TMPDIR": tmp})
        check("pre-created fallback dir refused (%r)" % r.stderr, r.returncode == 78 and "owned by uid" in r.stderr)
        os.rmdir(fallback)
        os.symlink(os.path.join(base, "elsewhere"), fallback)
        r = agent({"TMPDIR": tmp})
        check("fallback symlink refused (%r)" % r.stderr, r.returncode == 78 and "symbolic link" in r.stderr)
        os.unlink(fallback)
        r = agent({"TMPDIR": tmp})
        st = os.lstat(fallback)
        check("no XDG_RUNTIME_DIR: private dir created under TMPDIR with mode 0700 (rc %d)" % r.returncode, r.returncode == 0 and st.st_mode & 0o777 == 0o700 and st.st_uid == os.getuid())
    finally:
        shutil.rmtree(base, ignore_errors=True)


def other_uid(box):
    if os.getuid() != 0 or not shutil.which("runuser"):
        return skipped("another uid is refused by SO_PEERCRED", "runuser needs root")
    code = ("import socket,sys\n"
            "s=socket.socket(socket.AF_UNIX)\n"
            "try:\n s.connect(sys.argv[1])\nexcept OSError as e:\n print('CONNECT-FAILED', e.errno); sys.exit(0)\n"
            "s.settimeout(2)\n"
            "data=b''\n"
            "while True:\n"
            " d=s.recv(4096)\n"
            " if not d: break\n"
            " data+=d\n"
            "print('GOT', data)\n")
    r = subprocess.run(["runuser", "-u", "nobody", "--", "/usr/bin/python3", "-c", code, box.sock],
                       capture_output=True, text=True, timeout=10)
    check("nobody cannot reach the socket in the 0700 dir (%r)" % (r.stdout + r.stderr), "CONNECT-FAILED" in r.stdout)
    # Loosen everything (row 23: socket mode 0666) and hand nobody a path to
    # the socket: the connection reaches the agent, which checks SO_PEERCRED.
    fd = os.open(box.sock, os.O_PATH)
    os.chmod(box.sock, 0o666)
    r = subprocess.run(["runuser", "-u", "nobody", "--", "/usr/bin/python3", "-c", code, "/proc/self/fd/%d" % fd],
                       capture_output=True, text=True, timeout=10, pass_fds=[fd])
    os.close(fd)
    check("another uid is refused by SO_PEERCRED (%r)" % (r.stdout + r.stderr), "GOT b'ERROR\\tpeer" in r.stdout and "HELLO\\t1\\tsentinel" not in r.stdout)
    def logged():
        with open(box.log) as f:
            return "refused a connection from uid 65534" in f.read()
    deadline = time.monotonic() + 5
    while not logged() and time.monotonic() < deadline:
        time.sleep(0.02)
    check("the refusal is logged", logged())
    ok = Client(box.sock)
    ok.send("PING", "x")
    check("the owner is still served", ok.frame() == ["PONG", "x"])
    ok.close()


def fifty():
    box = Box()
    try:
        procs = [subprocess.Popen([BIN, "agent"], env=box.env(), stderr=subprocess.PIPE, text=True) for _ in range(50)]
        results = [(p.wait(20), p.stderr.read()) for p in procs]
        check("50 agents: every start exits 0", all(rc == 0 for rc, _ in results))
        already = sum("already running" in err for _, err in results)
        check("49 say it already runs (%d)" % already, already == 49)
        time.sleep(0.2)
        running = agents_for(box.run_dir)
        check("exactly one agent runs, the one in the lock file (%r)" % running, len(running) == 1 and running[0] == lock_pid(box.run_dir))
        cl = Client(box.sock)
        cl.send("PING", "1")
        check("it answers", cl.frame() == ["PONG", "1"])
        cl.close()
    finally:
        box.close()


def bad_clients(box):
    p = box.procs[-1]
    silent = [Client(box.sock, hello=False) for _ in range(70)]
    good = Client(box.sock)
    good.send("PING", "a")
    check("70 silent clients: others are still served", good.frame() == ["PONG", "a"])
    time.sleep(2.1)
    late = Client(box.sock)
    check("clients silent for 2 s are dropped once more connect", silent[0].frame(0.5) is None)
    late.close()
    huge = Client(box.sock)
    try:
        huge.sock.sendall(b"REPORT\t" + b"x" * (70 * 1024))
    except OSError:
        pass
    f = huge.frame()
    check("a frame over 64 KiB: error (%r)" % (f and f[:2]), f is not None and f[:2] == ["ERROR", "frame"])
    check("... and disconnected", huge.frame() is None)
    part = Client(box.sock)
    part.sock.sendall(b"REPO")
    part.close()
    esc = Client(box.sock)
    esc.sock.sendall(b"PING\t\\q\n")
    check("a bad escape: error", (esc.frame() or [""])[0] == "ERROR")
    ver = Client(box.sock, hello=False)
    ver.send("HELLO", "99", "future")
    f = ver.frame()
    check("another protocol version refused (%r)" % f, f is not None and f[:2] == ["ERROR", "version"])
    first = Client(box.sock, hello=False)
    first.send("REGISTER", "1", "bash", "", "", "", "/")
    check("no HELLO first: refused", (first.frame() or [""])[:2] == ["ERROR", "hello"])
    good.send("PING", "b")
    check("the agent still serves after all that", good.frame() == ["PONG", "b"])
    check("the agent is still running", p.poll() is None)
    for s in silent:
        s.close()
    good.close()


def sessions_and_push(box):
    sub = Client(box.sock)
    sub.send("SUBSCRIBE")
    check("SUBSCRIBE acknowledged", sub.frame() == ["OK", "SUBSCRIBE"])
    shells = []
    for n in range(2):
        s = Client(box.sock)
        s.send("REGISTER", str(1000 + n), "bash", "/dev/pts/%d" % (40 + n), "/tmp/tmux-0/default,1,0", "%%%d" % n, "/")
        f = s.frame()
        check("session %d registered" % n, f is not None and f[0] == "REGISTERED")
        s.send("REPORT", "/", *box.vars(), "PGPASSWORD=CANARY", "MY_TOKEN=CANARY")
        s.send("PROMPT", "1", "")
        f = s.frame()
        check("session %d: staging (%r)" % (n, f and f[:5]), f is not None and f[0] == "STATE" and f[3] == "staging")
        shells.append(s)
    frames = []
    while True:
        f = sub.frame(0.3)
        if f is None:
            break
        frames.append(f)
    check("subscriber sees tty, tmux pane and idle=1", any(f[0] == "SESSION" and f[4] == "/dev/pts/40" and f[6] == "%0" and f[7] == "1" for f in frames))
    subprocess.run(["kubectl", "--kubeconfig", box.kubeconfig, "config", "use-context", "prod-eu"], capture_output=True)
    pushed = {}
    end = time.monotonic() + 3
    while len(pushed) < 2 and time.monotonic() < end:
        f = sub.frame(0.5)
        if f and f[0] == "SESSION" and f[9] == "production":
            pushed[f[1]] = f
    check("a file change is pushed for both sessions without a prompt (%d)" % len(pushed), len(pushed) == 2)
    shells[1].send("BUSY")
    f = sub.frame()
    check("BUSY is pushed (idle=0)", f is not None and f[0] == "SESSION" and f[7] == "0")
    shells[1].close()
    f = sub.frame()
    check("a closed session is forgotten and GONE is pushed (%r)" % f, f is not None and f[0] == "GONE")
    lister = Client(box.sock)
    lister.send("LIST")
    listed = []
    while True:
        f = lister.frame()
        if f is None or f[0] == "END":
            break
        listed.append(f)
    check("LIST shows the remaining session", len(listed) == 1)
    everything = repr(frames) + repr(pushed) + repr(listed)
    with open(box.log) as log:
        everything += log.read()
    check("no secret in frames or the log", "CANARY" not in everything)
    for cl in (sub, shells[0], lister):
        cl.close()


def sigterm(box):
    p = box.procs[-1]
    p.terminate()
    rc = p.wait(5)
    check("SIGTERM: clean exit 0", rc == 0)
    check("SIGTERM: socket removed", not os.path.exists(box.sock))


def idle_exit():
    box = Box()
    try:
        p = subprocess.Popen([BIN, "agent", "--foreground", "--idle-exit=1"], env=box.env(), stderr=subprocess.PIPE)
        try:
            rc = p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            rc = None
        check("--idle-exit=1: exits 0 without clients, socket removed", rc == 0 and not os.path.exists(box.sock))
    finally:
        box.close()


def shell_exit():
    from testlib import Sandbox
    box = Sandbox()
    try:
        sh = box.bash()
        sh.run("true")
        shell_pid = sh.pid
        sock = os.path.join(box.run_dir, "sentinel", "agent.sock")

        def listed():
            cl = Client(sock)
            cl.send("LIST")
            out = []
            while True:
                f = cl.frame()
                if f is None or f[0] == "END":
                    break
                out.append(f)
            cl.close()
            return out
        before = listed()
        check("a real shell is a session with its pid and tty (%r)" % [f[:5] for f in before], len(before) == 1 and before[0][2] == str(shell_pid) and before[0][4].startswith("/dev/pts/"))
        sh.close()
        box.shells.remove(sh)
        end = time.monotonic() + 3
        while listed() and time.monotonic() < end:
            time.sleep(0.05)
        check("the session is forgotten when its shell exits", listed() == [])
    finally:
        box.close()


def main():
    idle_exit()
    shell_exit()
    unsafe_dirs()
    fifty()
    box = Box()
    try:
        box.start()
        other_uid(box)
        bad_clients(box)
        sessions_and_push(box)
        sigterm(box)
    finally:
        box.close()
    sys.exit(summary())


if __name__ == "__main__":
    main()
