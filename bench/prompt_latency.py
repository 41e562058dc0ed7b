#!/usr/bin/env python3
"""Prompt benchmark (not a test): what sentinel adds to a prompt a person waits for.

1. Added latency per prompt. Every shell runs on a pseudo-terminal of a real
   size (40x160 by default; --sizes) with TERM=xterm-256color and Debian's
   default prompt (bash: /etc/skel/.bashrc's coloured PS1 with the xterm
   title; zsh: zsh's own default, which Debian keeps), followed by a 4-byte
   marker the benchmark waits for. The bare shell has nothing else; the
   integrated one adds `eval "$(sentinel init SHELL)"` with its defaults: the
   segment prepended to the prompt, SENTINEL_TIMEOUT_MS=10 and the status
   line on (painted into the same terminal). One prompt is Enter on an empty
   line until the marker is back. The shells are driven round-robin in the
   same run (the starting shell rotates), so a loaded machine slows them
   alike; reported: median and p90 of each, the difference of medians and
   the ratio to the bare shell. The 0x0 size is a terminal without a size:
   no status line can be reserved there. bash and zsh; a 3-context
   kubeconfig and a generated 5,000-context one (~9 MB with CA data).
   Several binaries (--bin, repeatable) are measured in the same rounds,
   each with its own agent, to compare a change with what it replaces.
2. The agent idle: RSS and context switches (wakeups) of the agent over
   --idle-seconds with 100 registered sessions (0 skips it).

Usage: python3 bench/prompt_latency.py [--bin build/sentinel ...] [--prompts 400]
           [--sizes 40x160,0x0] [--shells bash,zsh] [--contexts 3,5000] [--idle-seconds 60]
"""

import argparse
import base64
import fcntl
import os
import pty
import select
import socket
import statistics
import struct
import sys
import tempfile
import shutil
import signal
import termios
import time
from benchlib import pct

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARK = b"@P@ "
DEBIAN_BASH_PS1 = (r"\[\e]0;${debian_chroot:+($debian_chroot)}\u@\h: \w\a\]"
                   r"${debian_chroot:+($debian_chroot)}\[\033[01;32m\]\u@\h\[\033[00m\]:\[\033[01;34m\]\w\[\033[00m\]\$ ")
ZSH_DEFAULT_PROMPT = "%m%# "


def big_kubeconfig(path, n=5000):
    ca = base64.b64encode(os.urandom(1300)).decode()
    with open(path, "w") as f:
        f.write("apiVersion: v1\nkind: Config\ncurrent-context: staging-0001\npreferences: {}\nclusters:\n")
        for i in range(n):
            f.write("- name: cluster-%04d\n  cluster:\n    server: https://10.%d.%d.1:6443\n"
                    "    certificate-authority-data: %s\n" % (i, i // 250, i % 250, ca))
        f.write("contexts:\n")
        for i in range(n):
            f.write("- name: staging-%04d\n  context:\n    cluster: cluster-%04d\n    user: user-%04d\n"
                    "    namespace: ns-%d\n" % (i, i, i, i % 7))
        f.write("users:\n")
        for i in range(n):
            f.write("- name: user-%04d\n  user:\n    token: not-a-real-token-%04d\n" % (i, i))
    return os.path.getsize(path)


def small_kubeconfig(path):
    with open(path, "w") as f:
        f.write("apiVersion: v1\nkind: Config\ncurrent-context: staging-eu\ncontexts:\n"
                "- name: staging-eu\n  context: {cluster: c1, user: u1}\n"
                "- name: prod-eu\n  context: {cluster: c1, user: u1}\n"
                "- name: dev\n  context: {cluster: c1, user: u1}\n"
                "clusters:\n- name: c1\n  cluster: {server: \"https://10.0.0.1:6443\"}\n"
                "users:\n- name: u1\n  user: {}\n")


class Pty:
    """One interactive shell on a pseudo-terminal of `rows` x `cols`."""

    def __init__(self, argv, env, rows, cols):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.buf = b""
        self.seen = b""

    def read_until(self, marker=MARK, timeout=20.0):
        end = time.monotonic() + timeout
        while marker not in self.buf:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("no %r in %r" % (marker, self.buf[-400:]))
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                data = os.read(self.fd, 65536)
                if not data:
                    raise EOFError(self.buf[-400:])
                self.buf += data
        head, _, self.buf = self.buf.partition(marker)
        self.seen = (self.seen + head)[-20000:]
        return head

    def prompt_ms(self):
        t = time.perf_counter()
        os.write(self.fd, b"\r")
        self.read_until()
        return (time.perf_counter() - t) * 1000

    def close(self):
        try:
            os.write(self.fd, b"exit\r")
            for _ in range(100):
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    break
                time.sleep(0.02)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass


def start_shell(kind, box, binary, run_dir, rows, cols, extra_env):
    """A shell with Debian's default prompt; with sentinel's integration when `binary` is set."""
    box["n"] = box.get("n", 0) + 1
    n = box["n"]
    env = {"HOME": box["home"], "PATH": "/usr/local/bin:/usr/bin:/bin", "TERM": "xterm-256color",
           "LANG": "C.UTF-8", "USER": "root", "XDG_CONFIG_HOME": os.path.join(box["home"], ".config"),
           "SENTINEL_SYSTEM_CONFIG": os.path.join(box["dir"], "no-system-config.toml")}
    env.update(extra_env)
    if run_dir:
        env["XDG_RUNTIME_DIR"] = run_dir
    init = 'eval "$(%s init %s)"\n' % (binary, kind) if binary else ""
    if kind == "bash":
        rc = os.path.join(box["dir"], "bashrc.%d" % n)
        with open(rc, "w") as f:
            f.write("PS1='%s'\n%sPS1=\"$PS1\"'%s'\n" % (DEBIAN_BASH_PS1, init, MARK.decode()))
        argv = ["/bin/bash", "--noprofile", "--rcfile", rc, "-i"]
    else:
        zdot = os.path.join(box["dir"], "zdot.%d" % n)
        os.makedirs(zdot)
        with open(os.path.join(zdot, ".zshrc"), "w") as f:
            f.write("PROMPT='%s'\n%sPROMPT=\"$PROMPT\"'%s'\n" % (ZSH_DEFAULT_PROMPT, init, MARK.decode()))
        env["ZDOTDIR"] = zdot
        argv = ["/usr/bin/zsh", "-i"]
    sh = Pty(argv, env, rows, cols)
    sh.read_until()
    box["shells"].append(sh)
    return sh


def agent_pid(run_dir):
    try:
        with open(os.path.join(run_dir, "sentinel", "agent.lock")) as f:
            return int(f.read().strip() or 0) or None
    except (OSError, ValueError):
        return None


def proc_status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.strip()
    return out


def latency_rows(kind, box, bins, rows, cols, prompts, env):
    names = ["bare"] + ["sentinel %d" % i for i in range(len(bins))] if len(bins) > 1 else ["bare", "sentinel"]
    shells = [start_shell(kind, box, None, None, rows, cols, env)]
    for i, b in enumerate(bins):
        shells.append(start_shell(kind, box, b, box["run_dirs"][i], rows, cols, env))
    for _ in range(20):  # warm up: the first prompts make each agent evaluate
        for sh in shells:
            sh.prompt_ms()
    times = [[] for _ in shells]
    for r in range(prompts):
        order = list(range(len(shells)))
        k = r % len(order)
        order = order[k:] + order[:k]
        for i in order:
            times[i].append(shells[i].prompt_ms())
    out = []
    for i, name in enumerate(names):
        seen = shells[i].seen
        line = b"\x1b[1;%dr" % (rows - 1) in seen if rows else False
        out.append((name, times[i], line, seen))
    for sh in shells:
        sh.close()
    box["shells"] = [s for s in box["shells"] if s not in shells]
    return out


def idle(bin_path, box, run_dir, seconds):
    """100 sessions registered over the protocol, then `seconds` idle."""
    sh = start_shell("bash", box, bin_path, run_dir, 40, 160, {})
    sh.prompt_ms()
    pid = agent_pid(run_dir)
    sock_path = os.path.join(run_dir, "sentinel", "agent.sock")
    clients = []
    for n in range(100):
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock_path)
        s.sendall(("HELLO\t1\tbench\nREGISTER\t%d\tbash\t/dev/pts/%d\t\t\t/\n"
                   "REPORT\t/\tHOME=%s\nPROMPT\t1\t\n" % (100000 + n, n, box["home"])).encode())
        clients.append(s)
    for s in clients:
        s.settimeout(5)
        data = b""
        while data.count(b"\n") < 3:
            data += s.recv(65536)
    time.sleep(1)
    before = proc_status(pid)
    time.sleep(seconds)
    after = proc_status(pid)
    with open("/proc/%d/smaps_rollup" % pid) as f:
        after["Pss"] = [l.split(":")[1].strip() for l in f if l.startswith("Pss:")][0]
    vol = int(after["voluntary_ctxt_switches"]) - int(before["voluntary_ctxt_switches"])
    invol = int(after["nonvoluntary_ctxt_switches"]) - int(before["nonvoluntary_ctxt_switches"])
    for s in clients:
        s.close()
    return after, vol, invol


def new_box(n_bins):
    d = tempfile.mkdtemp(prefix="sentinel-bench-")
    home = os.path.join(d, "home")
    os.makedirs(os.path.join(home, ".kube"))
    run_dirs = []
    for i in range(n_bins):
        r = os.path.join(d, "run%d" % i)
        os.makedirs(r, mode=0o700)
        run_dirs.append(r)
    return {"dir": d, "home": home, "run_dirs": run_dirs, "shells": []}


def close_box(box):
    for sh in box["shells"]:
        sh.close()
    for r in box["run_dirs"]:
        pid = agent_pid(r)
        if pid:
            try:
                os.kill(pid, signal.SIGCONT)
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
    shutil.rmtree(box["dir"], ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", action="append", help="sentinel binary (repeat to compare binaries in the same rounds)")
    ap.add_argument("--prompts", type=int, default=400)
    ap.add_argument("--sizes", default="40x160,0x0")
    ap.add_argument("--shells", default="bash,zsh")
    ap.add_argument("--contexts", default="3,5000")
    ap.add_argument("--idle-seconds", type=int, default=60)
    args = ap.parse_args()
    bins = [os.path.abspath(b) for b in (args.bin or [os.environ.get("SENTINEL_BIN") or os.path.join(REPO, "build", "sentinel")])]
    print("load average at start: %.2f %.2f %.2f; cpus: %d" % (os.getloadavg() + (os.cpu_count(),)))
    print("binaries: %s" % ", ".join(bins))
    print("prompts per shell and configuration: %d; TERM=xterm-256color; Debian's default prompts" % args.prompts)
    t0 = time.monotonic()
    for contexts in [int(c) for c in args.contexts.split(",")]:
        box = new_box(len(bins))
        try:
            env = {}
            kc = os.path.join(box["home"], ".kube", "config")
            if contexts == 3:
                small_kubeconfig(kc)
            else:
                size = big_kubeconfig(kc, contexts)
                print("generated kubeconfig: %.1f MB, %d contexts" % (size / 1e6, contexts))
            for kind in args.shells.split(","):
                for size in args.sizes.split(","):
                    rows, cols = (int(x) for x in size.split("x"))
                    res = latency_rows(kind, box, bins, rows, cols, args.prompts, env)
                    bare = res[0][1]
                    mb = statistics.median(bare)
                    for name, t, line, seen in res:
                        m = statistics.median(t)
                        extra = ""
                        if name != "bare":
                            diffs = [y - x for x, y in zip(bare, t)]
                            extra = "  added %+.3f ms (paired %+.3f)  ratio %.2f  status line %s" % (
                                m - mb, statistics.median(diffs), m / mb, "drawn" if line else "none")
                        print("%-4s %5d ctx %7s %-11s median %.3f ms  p90 %.3f%s" % (
                            kind, contexts, size, name, m, pct(t, .9), extra), flush=True)
                    print("     load average now: %.2f" % os.getloadavg()[0], flush=True)
        finally:
            close_box(box)
    print("(latency part: %.0f s)" % (time.monotonic() - t0))
    if args.idle_seconds > 0:
        for b in bins:
            box = new_box(1)
            try:
                small_kubeconfig(os.path.join(box["home"], ".kube", "config"))
                status, vol, invol = idle(b, box, box["run_dirs"][0], args.idle_seconds)
                print("%s: agent with 100 sessions, %d s idle: VmRSS %s (RssAnon %s, RssFile %s), Pss %s, "
                      "voluntary context switches %d, involuntary %d" % (
                          b, args.idle_seconds, status["VmRSS"], status["RssAnon"], status["RssFile"],
                          status["Pss"], vol, invol))
            finally:
                close_box(box)


if __name__ == "__main__":
    main()
