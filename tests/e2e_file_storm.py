#!/usr/bin/env python3
"""A kubeconfig rewritten thousands of times while the agent and one-shot
`sentinel status` read it (BAD_INPUTS.md row 15): renames (as kubectl and
editors replace a file), in-place truncate-then-write, an editor's
backup-and-swap, and chmod 000. Every answer is the old state, the new state
or unknown; the watch survives the renames; the last answer is the new
state; the agent stays up.

One exception is asserted as such: an in-place rewrite (truncate, then
write) and a backup-and-swap have an instant where the file is empty or
absent, which sentinel, like kubectl, reads as no kubeconfig ("none").
Replacing a file by rename never shows that instant.

chmod 000 hides nothing from root: run as root, the test runs itself again
as `nobody` (runuser) so that the chmod phase means something."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from testlib import BIN, check, kubeconfig, skipped, summary

FLIPS = 1500
CONTEXTS = ["staging-eu", "prod-eu"]
TIER = {"staging-eu": "staging", "prod-eu": "production"}


class Agent:
    def __init__(self, dir, env):
        self.env = dict(env, XDG_RUNTIME_DIR=os.path.join(dir, "run"))
        os.makedirs(self.env["XDG_RUNTIME_DIR"], mode=0o700)
        self.proc = subprocess.Popen([BIN, "agent", "--foreground"], env=self.env, stderr=subprocess.DEVNULL)
        self.sock_path = os.path.join(self.env["XDG_RUNTIME_DIR"], "sentinel", "agent.sock")
        end = time.monotonic() + 10
        while not os.path.exists(self.sock_path) and time.monotonic() < end:
            time.sleep(0.02)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Session:
    """One registered session asking PROMPT after PROMPT."""

    def __init__(self, agent, vars):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.settimeout(10)
        self.s.connect(agent.sock_path)
        self.buf = b""
        self.seq = 0
        self.token = ""
        self.tier = None
        fields = "\t".join("%s=%s" % kv for kv in vars.items())
        self.s.sendall(("HELLO\t1\tstorm\nREGISTER\t%d\tbash\t\t\t\t/\nREPORT\t/\t%s\n" % (os.getpid(), fields)).encode())

    def line(self):
        while b"\n" not in self.buf:
            data = self.s.recv(65536)
            if not data:
                raise EOFError("agent closed the connection")
            self.buf += data
        line, _, self.buf = self.buf.partition(b"\n")
        return line.decode(errors="replace").split("\t")

    def prompt(self):
        self.seq += 1
        self.s.sendall(("PROMPT\t%d\t%s\n" % (self.seq, self.token)).encode())
        while True:
            f = self.line()
            if f[0] == "STATE" and f[1] == str(self.seq):
                self.token = f[2]
                if len(f) > 3:
                    self.tier = f[3]
                return self.tier


def write_rename(path, context):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(kubeconfig(context, CONTEXTS))
    os.replace(tmp, path)


def write_in_place(path, context):
    with open(path, "w") as f:
        f.write(kubeconfig(context, CONTEXTS))


def write_swap(path, context):
    swap = path + ".swp"
    with open(swap, "w") as f:
        f.write(kubeconfig(context, CONTEXTS))
    os.replace(path, path + "~")
    os.replace(swap, path)


def write_chmod(path, context):
    os.chmod(path, 0o000)
    write_in_place_keep_mode(path, context)
    os.chmod(path, 0o600)


def write_in_place_keep_mode(path, context):
    os.chmod(path, 0o600)
    with open(path, "w") as f:
        f.write(kubeconfig(context, CONTEXTS))
    os.chmod(path, 0o000)


def storm(name, write, allowed, dir, env, path, agent):
    session = Session(agent, {"HOME": env["HOME"], "KUBECONFIG": path})
    answers = {}
    status_answers = {}
    done = threading.Event()

    def writer():
        # Another process, so that the writes are not held up (the file left
        # empty) while this one's threads take turns.
        subprocess.run([sys.executable, os.path.abspath(__file__), "--write", write.__name__, path], check=False)
        done.set()

    def one_shot():
        while not done.is_set():
            try:
                p = subprocess.run([BIN, "status", "--json"], env=dict(env, KUBECONFIG=path), capture_output=True,
                                   timeout=30)
                tier = json.loads(p.stdout)["tier"] if p.returncode in (0, 78) else "exit %d" % p.returncode
            except (subprocess.TimeoutExpired, ValueError) as e:
                tier = "error %r" % e
            status_answers[tier] = status_answers.get(tier, 0) + 1

    threads = [threading.Thread(target=writer), threading.Thread(target=one_shot)]
    for t in threads:
        t.start()
    error = None
    try:
        while not done.is_set():
            tier = session.prompt()
            answers[tier] = answers.get(tier, 0) + 1
    except (OSError, EOFError) as e:
        error = e
    for t in threads:
        t.join()
    check("%s: the agent answered every prompt (%d)" % (name, sum(answers.values())), error is None, repr(error))
    bad = {k: v for k, v in answers.items() if k not in allowed}
    check("%s: agent answers only old, new or unknown %s" % (name, sorted(answers.items())), not bad, bad)
    bad = {k: v for k, v in status_answers.items() if k not in allowed}
    check("%s: status answers only old, new or unknown %s" % (name, sorted(status_answers.items())), not bad, bad)
    # The last write wins, and the watch survived: one more change shows.
    for context in ("prod-eu", "staging-eu"):
        write_rename(path, context)
        os.chmod(path, 0o600)
        end = time.monotonic() + 5
        tier = None
        while time.monotonic() < end:
            tier = session.prompt()
            if tier == TIER[context]:
                break
            time.sleep(0.02)
        check("%s: afterwards the agent shows the last state (%s)" % (name, context), tier == TIER[context], tier)
    check("%s: the agent is still running" % name, agent.proc.poll() is None)
    session.s.close()


def run(unprivileged):
    dir = tempfile.mkdtemp(prefix="sentinel-storm-")
    os.chmod(dir, 0o700)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": dir, "LANG": "C.UTF-8",
           "XDG_CONFIG_HOME": os.path.join(dir, "config"), "XDG_CACHE_HOME": os.path.join(dir, "cache"),
           "SENTINEL_SYSTEM_CONFIG": os.path.join(dir, "none.toml")}
    path = os.path.join(dir, "config.yaml")
    write_rename(path, "staging-eu")
    agent = Agent(dir, env)
    old_new = {"staging", "production", "unknown"}
    try:
        storm("rename storm", write_rename, old_new, dir, env, path, agent)
        storm("in-place rewrite storm", write_in_place, old_new | {"none"}, dir, env, path, agent)
        storm("editor swap storm", write_swap, old_new | {"none"}, dir, env, path, agent)
        if unprivileged:
            storm("chmod 000 storm", write_chmod, old_new | {"none"}, dir, env, path, agent)
        else:
            skipped("chmod 000 storm", "needs a user other than root (runuser -u nobody unavailable)")
    finally:
        agent.stop()
        shutil.rmtree(dir, ignore_errors=True)


def main():
    if "--write" in sys.argv:
        at = sys.argv.index("--write")
        write, path = globals()[sys.argv[at + 1]], sys.argv[at + 2]
        for i in range(FLIPS):
            write(path, CONTEXTS[i % 2])
        return
    if "--unprivileged" in sys.argv:
        run(True)
        sys.exit(summary())
    if os.geteuid() == 0 and shutil.which("runuser"):
        here = os.path.dirname(os.path.abspath(__file__))
        python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
        me = os.path.join(here, "e2e_file_storm.py")
        probe = subprocess.run(["runuser", "-u", "nobody", "--", python, "-c",
                                "import os, sys; sys.exit(not (os.access(%r, os.X_OK) and os.access(%r, os.R_OK)))"
                                % (BIN, me)], capture_output=True)
        if probe.returncode == 0:
            r = subprocess.run(["runuser", "-u", "nobody", "--", "env", "SENTINEL_BIN=" + BIN, "TMPDIR=/tmp",
                                "SENTINEL_NO_SKIP=" + os.environ.get("SENTINEL_NO_SKIP", ""),
                                python, me, "--unprivileged"], cwd="/")
            sys.exit(r.returncode)
    run(os.geteuid() != 0)
    sys.exit(summary())


if __name__ == "__main__":
    main()
