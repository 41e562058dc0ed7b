#!/usr/bin/env python3
"""The wrapped tools of the shell integration (SENTINEL_WRAP) in real bash
and zsh: the function asks the agent over the relay the shell already holds,
runs a command that needs no question directly (no `sentinel guard`
process), and sends everything else through `sentinel guard`, which asks on
the terminal. A variable set for one command (`KUBECONFIG=... kubectl`)
counts; a stopped agent only sends the command to the guard."""

import os
import signal
import subprocess
import sys
import time

from testlib import BIN, MARK, Sandbox, check, kubeconfig, require, summary

ASK = b"to go ahead"
STUB = """#!/bin/sh
printf '%s\\n' "$@" > "$MARKER"
exit 3
"""


class World:
    def __init__(self, kind):
        self.box = Sandbox(contexts=("prod-eu", "dev"), current="prod-eu")
        self.bin = os.path.join(self.box.dir, "bin")
        os.makedirs(self.bin)
        with open(os.path.join(self.bin, "kubectl"), "w") as f:
            f.write(STUB)
        os.chmod(os.path.join(self.bin, "kubectl"), 0o755)
        self.marker = os.path.join(self.box.dir, "marker")
        self.dev_config = os.path.join(self.box.dir, "dev-config")
        with open(self.dev_config, "w") as f:
            f.write(kubeconfig("dev", ["dev"]))
        self.log = os.path.join(self.box.dir, "agent.log")
        # An agent with a log: the tests read which path answered.
        env = self.box.env(PATH=self.bin + ":/usr/bin:/bin")
        subprocess.run([BIN, "agent", "--log-file", self.log], env=env, check=True)
        self.sh = self.box.shell(kind, before="SENTINEL_WRAP='kubectl'", PATH=self.bin + ":/usr/bin:/bin",
                                 MARKER=self.marker)
        self.sh.run("true")

    def ran(self):
        if not os.path.exists(self.marker):
            return None
        with open(self.marker) as f:
            args = f.read().splitlines()
        os.remove(self.marker)
        return args

    def shell_asked(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [line.split("asked: ", 1)[1].strip() for line in f if "shell guard asked" in line]

    def guard_asked(self):
        with open(self.log) as f:
            return sum(1 for line in f if " guard asked" in line and "shell guard" not in line)

    def close(self):
        self.box.close()


def wrapped(kind):
    w = World(kind)
    try:
        sh = w.sh
        before = w.guard_asked()
        sh.run("kubectl get pods")
        check("%s: kubectl get on production runs" % kind, w.ran() == ["get", "pods"])
        check("%s: ... on the shell's own question (%r)"
                % (kind, w.shell_asked()), w.shell_asked()[-1:] == ["run (tier production)"])
        check("%s: ... without a `sentinel guard` process" % kind, w.guard_asked() == before)

        sh.send("kubectl delete pod web-1\r")
        out = sh.read_until(ASK)
        check("%s: kubectl delete on production is asked by the guard" % kind, b"prod-eu" in out)
        sh.send(b"\x04")
        sh.read_until(MARK)
        check("%s: ... and refused at end of input, the tool never ran" % kind, w.ran() is None)
        check("%s: the agent said ask (%r)"
                % (kind, w.shell_asked()), w.shell_asked()[-1:] == ["ask (tier production)"])

        sh.run("KUBECONFIG=%s kubectl delete pod web-1" % w.dev_config)
        check("%s: a one-command KUBECONFIG on dev runs directly" % kind, w.ran() == ["delete", "pod", "web-1"])
        check("%s: ... judged under that variable (%r)"
                % (kind, w.shell_asked()), w.shell_asked()[-1:] == ["run (tier development)"])
        _, seg, _ = sh.run("true")
        check("%s: the prompt is back on production, unmarked (%r)" % (kind, seg), seg == "PROD prod-eu/default")

        w.box.write_kubeconfig("dev", ("prod-eu", "dev"))
        time.sleep(0.2)  # inotify -> agent; not what is checked here
        pid = w.box.agent_pid()
        os.kill(pid, signal.SIGSTOP)
        try:
            t = time.monotonic()
            sh.run("kubectl delete pod web-2")
            ms = (time.monotonic() - t) * 1000
            check("%s: agent stopped: dev still runs (%.0f ms)" % (kind, ms), w.ran() == ["delete", "pod", "web-2"])
        finally:
            os.kill(pid, signal.SIGCONT)
        sh.send("kubectl delete pod 'pass''word=x'\r")
        sh.read_until(MARK)
        check("%s: an argument that may hold a password goes to the guard"
                % kind, w.ran() == ["delete", "pod", "password=x"])
        check("%s: ... and is never sent" % kind, not any("password" in line for line in open(w.log)))
    finally:
        w.close()


def main():
    require("bash", "zsh")
    for kind in ("bash", "zsh"):
        wrapped(kind)
    sys.exit(summary())


if __name__ == "__main__":
    main()
