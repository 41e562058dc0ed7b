#!/usr/bin/env python3
"""Benchmark (not a test): change-to-paint latency of sentinel's display sinks.

A real tmux server on a private socket runs, each in its own pane and all in
the environment of one kubeconfig:
  bar     `sentinel bar` (the curses pane)
  inline  bash with `sentinel bar --inline &` (the line reserved in the terminal)
  push    `sentinel bar --push-tmux` (the pane options the status format reads,
          set through its persistent control-mode client)
  agent   bash with the integration (`eval "$(sentinel init bash)"`), idle at
          its prompt: the agent repaints its reserved line and sets its pane
          options (issue 3's agent with issue 4's sinks wired in)
  poll    a status-interval style poller for scale: every INTERVAL seconds it
          runs `kubectl config current-context` and sets a pane option.
Then the real `kubectl config use-context` flips the context CHANGES times.
t0 is the kubeconfig's IN_CLOSE_WRITE (inotify, read in a thread), so
kubectl's own start-up is not counted. The paints are observed through a
tmux control-mode client: %output notifications for the bar and inline panes
(pushed by tmux as the pane writes), and `show-options -p` round trips
(about 0.1 ms each) for the options.

Usage: bench/paint_latency.py [--bin build/sentinel] [--changes 40] [--interval 1]"""
import argparse
import ctypes
import os
import select
import shutil
import statistics
import struct
import subprocess
import tempfile
import time

IN_CLOSE_WRITE = 0x8
IN_MOVED_TO = 0x80


class Inotify:
    """Close-after-write and rename-into events of one file, on a descriptor."""

    def __init__(self, path):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK)
        self.name = os.path.basename(path).encode()
        libc.inotify_add_watch(self.fd, os.path.dirname(path).encode(), IN_CLOSE_WRITE | IN_MOVED_TO)

    def read(self):
        """True when the pending events include the file."""
        hit = False
        try:
            buf = os.read(self.fd, 65536)
        except BlockingIOError:
            return False
        i = 0
        while i < len(buf):
            length = struct.unpack_from("iIII", buf, i)[3]
            if buf[i + 16:i + 16 + length].rstrip(b"\0") == self.name:
                hit = True
            i += 16 + length
        return hit


class Control:
    """A tmux control-mode client, read without threads: %output
    notifications (pushed as panes write) and command replies."""

    def __init__(self, socket):
        self.p = subprocess.Popen(["tmux", "-L", socket, "-C", "attach", "-t", "b"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, bufsize=0)
        self.fd = self.p.stdout.fileno()
        os.set_blocking(self.fd, False)
        self.buf = b""
        self.block = None
        self.replies = []
        self.outputs = []

    def read(self):
        try:
            self.buf += os.read(self.fd, 65536)
        except BlockingIOError:
            return
        *lines, self.buf = self.buf.split(b"\n")
        for line in lines:
            if line.startswith(b"%output "):
                _, pane, data = line.split(b" ", 2)
                self.outputs.append((pane.decode(), data))
            elif line.startswith(b"%begin"):
                self.block = []
            elif line.startswith((b"%end", b"%error")):
                if self.block is not None:
                    self.replies.append(b"\n".join(self.block).decode())
                self.block = None
            elif self.block is not None:
                self.block.append(line)

    def send(self, text):
        self.p.stdin.write(text.encode() + b"\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.environ.get("SENTINEL_BIN", "build/sentinel"))
    ap.add_argument("--changes", type=int, default=40)
    ap.add_argument("--interval", type=float, default=1.0)
    args = ap.parse_args()
    sentinel = os.path.abspath(args.bin)
    work = tempfile.mkdtemp(prefix="sentinel-bench-")
    kube = os.path.join(work, "kubeconfig")
    with open(kube, "w") as f:
        f.write("apiVersion: v1\nkind: Config\nclusters:\n- name: c1\n  cluster: {server: 'https://10.1.2.3:6443'}\n"
                "contexts:\n- name: dev\n  context: {cluster: c1, namespace: default}\n"
                "- name: prod-eu\n  context: {cluster: c1, namespace: payments}\ncurrent-context: dev\n")
    run_dir = os.path.join(work, "run")
    os.makedirs(run_dir, mode=0o700)
    rc = os.path.join(work, "bashrc")
    with open(rc, "w") as f:
        f.write(f'eval "$({sentinel} init bash)"\n')
    env = {"HOME": work, "KUBECONFIG": kube, "XDG_RUNTIME_DIR": run_dir, "XDG_CONFIG_HOME": work + "/cfg", "XDG_CACHE_HOME": work + "/cache",
           "SENTINEL_SYSTEM_CONFIG": work + "/etc.toml", "LANG": "C.UTF-8", "PATH": os.environ["PATH"]}
    e = sum((["-e", f"{k}={v}"] for k, v in env.items()), [])
    socket = f"sentinel-bench-{os.getpid()}"

    def tmux(*a):
        return subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", *a], capture_output=True, text=True,
                              check=True).stdout.strip()

    ctl = None
    try:
        bar = tmux("new-session", "-d", "-s", "b", "-x", "100", "-y", "30", "-P", "-F", "#{pane_id}", *e, f"{sentinel} bar")
        inline = tmux("split-window", "-d", "-t", "b", "-P", "-F", "#{pane_id}", *e, "bash --norc --noprofile -i")
        push = tmux("split-window", "-d", "-t", "b", "-P", "-F", "#{pane_id}", *e, f"{sentinel} bar --push-tmux")
        poll = tmux("split-window", "-d", "-t", "b", "-P", "-F", "#{pane_id}", *e,
                    f"sh -c 'while :; do tmux set-option -p -t \"$TMUX_PANE\" @poll_ctx \"$(kubectl config current-context)\"; "
                    f"sleep {args.interval}; done'")
        agent = tmux("split-window", "-d", "-t", "b", "-P", "-F", "#{pane_id}", *e,
                     f"bash --noprofile --rcfile {rc} -i")
        tmux("select-layout", "-t", "b", "tiled")
        time.sleep(0.5)
        # A prompt at the final pane size: the line is reserved at a prompt
        # (a pane created too small for it gets it at its next prompt).
        tmux("send-keys", "-t", agent, "", "Enter")
        tmux("send-keys", "-t", inline, f"{sentinel} bar --inline &", "Enter")
        time.sleep(1.0)
        ctl = Control(socket)
        watch = Inotify(kube)
        end = time.monotonic() + 0.5
        while time.monotonic() < end:  # the attach's own reply and the first paints
            select.select([ctl.fd], [], [], 0.05)
            ctl.read()
        ctl.replies.clear()
        watch.read()

        # One thread, one select loop: a timestamp is taken as soon as the
        # event is readable. Options are asked in turn, one command in flight.
        results = {"push": [], "bar": [], "inline": [], "poll": [], "agent_line": [], "agent_tmux": []}
        ctx = "dev"
        for i in range(args.changes):
            ctx = "prod-eu" if ctx == "dev" else "dev"
            label = b" PROD " if ctx == "prod-eu" else b" DEV "
            tier = "production" if ctx == "prod-eu" else "development"
            ctl.outputs.clear()
            kubectl = subprocess.Popen(["kubectl", "config", "use-context", ctx], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            t0, seen, asking = None, {}, None
            deadline = time.monotonic() + 5 + 2 * args.interval
            asks = {"push": (push, "@sentinel_tier", tier), "agent_tmux": (agent, "@sentinel_tier", tier),
                    "poll": (poll, "@poll_ctx", ctx)}
            while len(seen) < 6 and time.monotonic() < deadline:
                if t0 is not None and asking is None:
                    asking = next((k for k in ("push", "agent_tmux", "poll") if k not in seen), None)
                    if asking is not None:
                        pane, name, _ = asks[asking]
                        ctl.send(f"show-options -p -q -v -t {pane} {name}")
                ready, _, _ = select.select([watch.fd, ctl.fd], [], [], 0.5)
                now = time.monotonic_ns()
                if watch.fd in ready and watch.read() and t0 is None:
                    t0 = now
                if ctl.fd in ready:
                    ctl.read()
                    for pane, data in ctl.outputs:
                        for name, pid in (("bar", bar), ("inline", inline), ("agent_line", agent)):
                            if pane == pid and label in data and name not in seen and t0 is not None:
                                seen[name] = now
                    ctl.outputs.clear()
                    for reply in ctl.replies:
                        if asking is not None and reply == asks[asking][2] and asking not in seen:
                            seen[asking] = now
                        asking = None
                    ctl.replies.clear()
            kubectl.wait()
            for k in results:
                if k in seen:
                    results[k].append((seen[k] - t0) / 1e6)
            time.sleep(0.05 + (i % 7) * 0.03)  # vary the phase against the poller

        print(f"change-to-paint latency, {args.changes} changes by `kubectl config use-context` "
              f"(t0 = the kubeconfig's IN_CLOSE_WRITE)")
        for k, what in (("agent_tmux", "agent: tmux option @sentinel_tier of an idle shell's pane"),
                        ("agent_line", "agent: reserved line of an idle shell"),
                        ("push", "tmux option @sentinel_tier (bar --push-tmux)"),
                        ("inline", "reserved terminal line (bar --inline)"),
                        ("bar", "curses bar pane (sentinel bar)"),
                        ("poll", f"poller every {args.interval:g} s (status-interval style)")):
            v = sorted(results[k])
            if not v:
                print(f"  {what}: no sample")
                continue
            print(f"  {what}: n={len(v)} median {statistics.median(v):.1f} ms, "
                  f"p90 {v[int(len(v) * 0.9) - 1]:.1f} ms, min {v[0]:.1f} ms, max {v[-1]:.1f} ms")
    finally:
        if ctl is not None:
            ctl.p.kill()
            ctl.p.wait()
        subprocess.run(["tmux", "-L", socket, "kill-server"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            with open(os.path.join(run_dir, "sentinel", "agent.lock")) as f:
                os.kill(int(f.read().strip()), 15)
        except (OSError, ValueError):
            pass
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
