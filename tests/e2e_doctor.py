#!/usr/bin/env python3
"""`sentinel doctor` typed in real shells on a pseudo-terminal (a private tmux
server, 40x160): all well (exit 0) in a bash with the integration, the agent
and the tmux plugin; and each problem with its fix and exit 1: a bash, zsh
and fish without the integration, the integration inherited from a parent
shell only, a stopped (SIGSTOP) and a killed agent, a broken config, TERM=dumb
and TERM=vt52 (the missing capabilities named), tmux without the plugin, an
audit log that cannot be written; and what the wrappers show (shell
functions, the PATH wrapper, an unguarded tool). Skips (77) without tmux,
zsh or fish."""

import json
import os
import shlex
import signal
import sys
import time

from testlib import BIN, SIZE, SRC, Sandbox, Tmux, check, require, summary, wait_for

PLUGIN = os.path.join(SRC, "contrib", "tmux", "sentinel.tmux")


class Pane:
    """One shell in this sandbox's tmux server."""

    def __init__(self, box, argv, env):
        self.box = box
        self.fish = argv[0] == "fish"
        # A clean environment, except what tmux gives the pane's command.
        command = "exec env -i TMUX=\"$TMUX\" TMUX_PANE=\"$TMUX_PANE\" " + \
            " ".join(shlex.quote("%s=%s" % kv) for kv in env.items()) + " " + " ".join(map(shlex.quote, argv))
        self.target = box.tmux("new-window", "-P", "-F", "#{pane_id}", "-t", "main", command).strip()
        if not wait_for(lambda: "@P@" in self.screen(), 10):
            raise TimeoutError("no prompt: " + self.screen())

    def screen(self):
        return self.box.tmux("capture-pane", "-p", "-J", "-t", self.target)

    def type(self, text):
        self.box.tmux("send-keys", "-t", self.target, "-l", text)
        self.box.tmux("send-keys", "-t", self.target, "Enter")

    def doctor(self):
        """Runs `sentinel doctor --json` in the shell: (exit code, {name: check})."""
        n = self.box.runs = self.box.runs + 1
        out = os.path.join(self.box.dir, "doctor.%d.json" % n)
        rc = os.path.join(self.box.dir, "doctor.%d.rc" % n)
        status = "$status" if self.fish else "$?"
        self.type("%s doctor --json > %s; echo %s > %s" % (shlex.quote(BIN), shlex.quote(out), status, shlex.quote(rc)))
        if not wait_for(lambda: os.path.exists(rc) and open(rc).read().endswith("\n"), 10):
            raise TimeoutError("doctor did not finish: " + self.screen())
        with open(out) as f:
            report = json.load(f)
        return int(open(rc).read()), {c["name"]: c for c in report["checks"]}, report


class Box(Sandbox):
    def __init__(self, plugin=True):
        super().__init__()
        self.tmux = Tmux("sentinel-doctor-%d-%s" % (os.getpid(), os.path.basename(self.dir)))
        self.runs = 0
        # The first window holds the session open; shells get windows of their own.
        self.tmux("new-session", "-d", "-x", str(SIZE[1]), "-y", str(SIZE[0]), "-s", "main", "exec cat")
        if plugin:
            self.tmux("run-shell", "bash %s" % shlex.quote(PLUGIN))

    def shell_env(self, **extra):
        env = self.env(**{"TERM": "xterm-256color", **extra})
        # The pane's shell must see the tmux it runs in.
        return env

    def bash(self, init=True, before="", **extra):
        rc = os.path.join(self.dir, "bashrc.%d" % self.runs)
        self.runs += 1
        with open(rc, "w") as f:
            f.write(before + "\n")
            if init:
                f.write('eval "$(%s init bash)"\n' % shlex.quote(BIN))
            f.write("PS1='@P@ '\n")
        return Pane(self, ["bash", "--noprofile", "--rcfile", rc, "-i"], self.shell_env(**extra))

    def zsh(self, **extra):
        zdot = os.path.join(self.dir, "zdot.%d" % self.runs)
        self.runs += 1
        os.makedirs(zdot)
        with open(os.path.join(zdot, ".zshrc"), "w") as f:
            f.write("PROMPT='@P@ '\n")
        return Pane(self, ["zsh", "-i"], self.shell_env(ZDOTDIR=zdot, **extra))

    def fish(self, **extra):
        cfg = os.path.join(self.dir, "fishcfg.%d" % self.runs)
        self.runs += 1
        os.makedirs(os.path.join(cfg, "fish"))
        with open(os.path.join(cfg, "fish", "config.fish"), "w") as f:
            f.write("set -g fish_greeting ''\nfunction fish_prompt; printf '@P@ '; end\n")
        return Pane(self, ["fish", "-i"], self.shell_env(XDG_CONFIG_HOME=cfg, XDG_DATA_HOME=os.path.join(self.dir, "fd"), **extra))

    def close(self):
        self.tmux.kill()
        super().close()


def all_well():
    box = Box()
    try:
        sh = box.bash()
        ok = wait_for(lambda: box.tmux("show-options", "-p", "-q", "-v", "-t", sh.target, "@sentinel_tier").strip(), 8)
        check("doctor setup: the agent set this pane's options", bool(ok))
        rc, checks, report = sh.doctor()
        failed = {k: v for k, v in checks.items() if v["status"] == "fail"}
        check("all well: exit 0 and no failed check", rc == 0 and not failed and report["ok"] is True, failed)
        check("all well: the integration is this shell's, its session known",
              checks["shell"]["status"] == "ok" and "session known to the agent" in checks["shell"]["message"], checks["shell"])
        check("all well: the agent answers with this version", checks["agent"]["status"] == "ok", checks["agent"])
        check("all well: tmux plugin loaded and this pane's tier shown",
              checks["tmux"]["status"] == "ok" and "shows tier staging" in checks["tmux"]["message"], checks["tmux"])
        check("all well: the terminal", checks["terminal"]["status"] == "ok", checks["terminal"])
        check("all well: the audit log", checks["audit"]["status"] == "ok", checks["audit"])
        # The text form: one line per check, with a closing line.
        sh.type("%s doctor; echo rc=$?" % shlex.quote(BIN))
        wait_for(lambda: "rc=0" in sh.screen(), 10)
        screen = sh.screen()
        check("all well: the text report ends 'all is well' and exits 0", "all is well" in screen and "rc=0" in screen, screen[-800:])
        check("all well: one line per check", all(("%s: " % name) in screen for name in checks), screen[-1500:])

        # SIGSTOP: the agent does not answer.
        agent = box.agent_pid()
        os.kill(agent, signal.SIGSTOP)
        try:
            rc, checks, _ = sh.doctor()
        finally:
            os.kill(agent, signal.SIGCONT)
        check("stopped agent: exit 1, 'does not answer'", rc == 1 and checks["agent"]["status"] == "fail" and
              "does not answer" in checks["agent"]["message"], checks["agent"])
        check("stopped agent: the fix names kill -CONT and its pid", "kill -CONT %d" % agent in checks["agent"]["fix"], checks["agent"])
    finally:
        box.close()


def without_integration():
    box = Box()
    try:
        for kind, fix in (("bash", "~/.bashrc"), ("zsh", "~/.zshrc"), ("fish", "~/.config/fish/config.fish")):
            sh = box.bash(init=False) if kind == "bash" else getattr(box, kind)()
            rc, checks, _ = sh.doctor()
            c = checks["shell"]
            check("%s without the integration: exit 1, not loaded in this %s" % (kind, kind),
                  rc == 1 and c["status"] == "fail" and ("not loaded in this %s" % kind) in c["message"], c)
            check("%s without the integration: the fix is the init line for %s" % (kind, fix),
                  ("sentinel init %s" % kind) in c["fix"] and fix in c["fix"], c)
        # Loaded in a parent shell; this bash only inherited SENTINEL_INIT.
        sh = box.bash()
        sh.type("bash --norc --noprofile")
        sh.type("PS1='@P@ '")
        time.sleep(0.3)
        rc, checks, _ = sh.doctor()
        check("a child bash that only inherited the variable: not loaded here",
              rc == 1 and "only" in checks["shell"]["message"], checks["shell"])
    finally:
        box.close()


def problems():
    box = Box()
    try:
        cfg = os.path.join(box.home, ".config", "sentinel")
        os.makedirs(cfg)
        with open(os.path.join(cfg, "config.toml"), "w") as f:
            f.write("[tiers.production]\nlabel = \"PROD\"\npolicy = \"maybe\"\n")
        sh = box.bash()
        rc, checks, _ = sh.doctor()
        c = checks["config"]
        check("broken config: exit 1, file:line:col of the error",
              rc == 1 and c["status"] == "fail" and "config.toml:3:" in c["message"] and "policy must be" in c["message"], c)
        os.unlink(os.path.join(cfg, "config.toml"))

        sh = box.bash(TERM="dumb")
        rc, checks, _ = sh.doctor()
        c = checks["terminal"]
        check("TERM=dumb: exit 1, no status line, fix: set TERM",
              rc == 1 and c["status"] == "fail" and "TERM=dumb" in c["message"] and "set TERM" in c["fix"], c)
        sh = box.bash(TERM="vt52")
        rc, checks, _ = sh.doctor()
        c = checks["terminal"]
        check("TERM=vt52: the missing capabilities are named", rc == 1 and "lacks csr, sc, rc" in c["message"], c)

        sh = box.bash(XDG_STATE_HOME="/etc/hostname/state")
        rc, checks, _ = sh.doctor()
        c = checks["audit"]
        check("audit log under a file: exit 1, cannot be written", rc == 1 and c["status"] == "fail" and
              "not a directory" in c["message"].lower(), c)

        # A killed agent, with autostart off: no agent runs.
        sh = box.bash(SENTINEL_AUTOSTART="0")
        agent = box.agent_pid()
        if agent:
            os.kill(agent, signal.SIGKILL)
            wait_for(lambda: not os.path.exists("/proc/%d" % agent), 5)
        rc, checks, _ = sh.doctor()
        c = checks["agent"]
        check("killed agent: exit 1, no agent is running, the fix says how to start it",
              rc == 1 and c["status"] == "fail" and "no agent is running" in c["message"] and "SENTINEL_AUTOSTART=0" in c["fix"], c)
    finally:
        box.close()


def tmux_without_plugin():
    box = Box(plugin=False)
    try:
        sh = box.bash()
        rc, checks, _ = sh.doctor()
        c = checks["tmux"]
        check("tmux without the plugin: exit 1, plugin not loaded", rc == 1 and c["status"] == "fail" and
              "plugin is not loaded" in c["message"], c)
        check("tmux without the plugin: the fix is run-shell with the plugin's path",
              "run-shell" in c["fix"] and "sentinel.tmux" in c["fix"] and "~/.tmux.conf" in c["fix"], c)
    finally:
        box.close()


def wrappers():
    box = Box()
    try:
        stub = os.path.join(box.dir, "stub")
        os.makedirs(stub)
        for tool in ("psql", "kubectl"):
            with open(os.path.join(stub, tool), "w") as f:
                f.write("#!/bin/sh\nexit 0\n")
            os.chmod(os.path.join(stub, tool), 0o755)
        wrapper_dir = os.path.join(SRC, "contrib", "wrappers")
        sh = box.bash(before="SENTINEL_WRAP='psql'", PATH=":".join([wrapper_dir, stub, "/usr/bin", "/bin"]))
        rc, checks, _ = sh.doctor()
        check("wrapper functions: psql is a shell function of the integration",
              checks["wrapper psql"]["status"] == "ok" and "shell function" in checks["wrapper psql"]["message"], checks["wrapper psql"])
        check("PATH wrapper: kubectl runs sentinel's wrapper, then the real one",
              checks["wrapper kubectl"]["status"] == "ok" and
              "sentinel's wrapper), then %s/kubectl" % stub in checks["wrapper kubectl"]["message"], checks["wrapper kubectl"])
        sh = box.bash(PATH=":".join([stub, "/usr/bin", "/bin"]))
        rc, checks, _ = sh.doctor()
        c = checks["wrapper psql"]
        check("an unguarded psql warns (exit unaffected) and says how to guard it",
              c["status"] == "warn" and "directly" in c["message"] and "SENTINEL_WRAP" in c["fix"], c)
    finally:
        box.close()


def main():
    require("tmux", "bash", "zsh", "fish")
    all_well()
    without_integration()
    problems()
    tmux_without_plugin()
    wrappers()
    sys.exit(summary())


if __name__ == "__main__":
    main()
