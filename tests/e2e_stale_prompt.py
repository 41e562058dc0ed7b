#!/usr/bin/env python3
"""A stale prompt never looks safe (BAD_INPUTS.md row 33).

bash and zsh with the integration run in a private tmux server's 160x40
pane with TERM=xterm-256color and the status line on; the screen, colours
included, is read back with capture-pane -e. The terminal starts on a local
kube context (green). Then:

- stopped agent, own change: the agent is stopped (SIGSTOP) and the shell
  exports PGSERVICE naming a production service. The prompt after it has no
  answer: it must show the stale mark with the unknown tier's label and
  colour (the label alone: the new target is not known yet), never LOCAL or
  green. After SIGCONT the next prompt shows PROD.
- stopped agent, change made elsewhere: with the agent stopped, another
  terminal switches the shared kubeconfig to a production context. The next
  prompt cannot have been evaluated: stale mark, UNKNOWN, not green.
- the issue's steps: the agent killed, a new shell, `export PGSERVICE=` a
  production service. Whether the fresh agent answers within the prompt's
  10 ms or not, that prompt is never green: PROD when answered, the stale
  mark with UNKNOWN when not.
"""

import os
import re
import shlex
import signal
import sys
import time

from testlib import BIN, Sandbox, Tmux, check, require, summary, wait_for

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
GREEN = {"32", "92"}


def params(line):
    out = set()
    for m in SGR.finditer(line):
        out.update(p for p in m.group(1).split(";") if p)
    return out


def plain(line):
    return re.sub(r"\x1b\[[0-9;:?]*[A-Za-z]", "", line)


class Pane:
    """One shell in a private tmux server of 160x40."""

    def __init__(self, box, kind, extra_env):
        self.box, self.kind = box, kind
        self.tmux = Tmux("sentinel-stale-%d-%d" % (os.getpid(), len(box.shells) + int(time.monotonic() * 1000) % 100000))
        env = box.env(TERM="xterm-256color", SENTINEL_AUTO_PROMPT="1", SENTINEL_TIMEOUT_MS="10", **extra_env)
        envfile = os.path.join(box.dir, "env.%s.%d.sh" % (kind, len(box.shells)))
        with open(envfile, "w") as f:
            for k, v in env.items():
                f.write("export %s=%s\n" % (k, shlex.quote(v)))
        if kind == "bash":
            rc = os.path.join(box.dir, "rc.%d.bash" % len(box.shells))
            with open(rc, "w") as f:
                f.write("PS1='$ '\neval \"$(%s init bash)\"\n" % BIN)
            cmd = ". %s; exec bash --noprofile --rcfile %s -i" % (envfile, rc)
        else:
            zdot = os.path.join(box.dir, "zdot.%d" % len(box.shells))
            os.makedirs(zdot)
            with open(os.path.join(zdot, ".zshrc"), "w") as f:
                f.write("PROMPT='$ '\neval \"$(%s init zsh)\"\n" % BIN)
            cmd = ". %s; export ZDOTDIR=%s; exec zsh -i" % (envfile, zdot)
        box.shells.append(self)
        self.tmux("new-session", "-d", "-s", "t", "-x", "160", "-y", "40", "bash", "-c", cmd)
        self.tmux("set", "-g", "default-terminal", "xterm-256color", check_rc=False)
        self.n = 0
        self.wait_prompt_after(None)

    def rows(self, colour=False):
        args = ["capture-pane", "-p", "-t", "t"] + (["-e"] if colour else [])
        return self.tmux(*args).split("\n")[:40]

    def wait_prompt_after(self, marker, timeout=8.0):
        """The prompt line that follows the output line `marker` (the first
        prompt when None), once drawn: (plain text, text with colours)."""
        def find():
            rows = self.rows()
            start = 0
            if marker is not None:
                idx = [i for i, r in enumerate(rows) if r.strip() == marker]
                if not idx:
                    return None
                start = idx[-1] + 1
            for i in range(start, min(len(rows), 39)):
                if rows[i].rstrip().endswith("$"):
                    return (i,)  # a row number of 0 is found too
            return None
        found = wait_for(find, timeout)
        if not found:
            return None, None
        i = found[0]
        time.sleep(0.05)
        return plain(self.rows()[i]), self.rows(colour=True)[i]

    def run(self, command):
        """Types `command; echo M<n>` and returns the prompt drawn after it."""
        self.n += 1
        marker = "M%d" % self.n
        self.tmux("send-keys", "-t", "t", "-l", "%s; echo %s" % (command, marker))
        self.tmux("send-keys", "-t", "t", "Enter")
        return self.wait_prompt_after(marker)

    def close(self):
        self.tmux("kill-server", check_rc=False)


def sandbox():
    box = Sandbox(contexts=("kind-dev", "prod-eu"), current="kind-dev")
    svc = os.path.join(box.dir, "pg_service.conf")
    with open(svc, "w") as f:
        f.write("[prod-orders]\nhost=db.prod.example.com\ndbname=orders\n")
    return box, {"PGSERVICEFILE": svc}


def never_green(kind, what, line, colored, want_label=None):
    if line is None:
        check("%s: %s: a prompt was drawn" % (kind, what), False, "no prompt on screen")
        return
    safe = "LOCAL" not in line and not (params(colored) & GREEN)
    check("%s: %s: never LOCAL or green" % (kind, what), safe, repr(colored))
    if want_label:
        check("%s: %s: shows %s" % (kind, what, want_label), want_label in line, repr(line))


def stopped_own_change(kind):
    box, env = sandbox()
    pane = None
    try:
        pane = Pane(box, kind, env)
        line, _ = pane.run("true")
        check("%s: starts LOCAL" % kind, line is not None and line.startswith("LOCAL kind-dev/default"), repr(line))
        pid = wait_for(box.agent_pid)
        os.kill(pid, signal.SIGSTOP)
        try:
            line, colored = pane.run("export PGSERVICE=prod-orders")
            never_green(kind, "agent stopped, own export", line, colored, "[sentinel: stale] UNKNOWN")
            check("%s: agent stopped, own export: the label alone (the new target is not known)" % kind,
                  line is not None and "kind-dev" not in line, repr(line))
            line, colored = pane.run("true")
            never_green(kind, "agent stopped, next prompt", line, colored, "[sentinel: stale] UNKNOWN")
        finally:
            os.kill(pid, signal.SIGCONT)
        ok = wait_for(lambda: (pane.run("true")[0] or "").startswith("PROD "), 5.0)
        check("%s: agent continued: PROD" % kind, ok, repr(pane.rows()[-8:]))
    finally:
        if pane:
            pane.close()
        box.close()


def stopped_change_elsewhere(kind):
    box, env = sandbox()
    pane = None
    try:
        pane = Pane(box, kind, env)
        pane.run("true")
        line, _ = pane.run("true")
        check("%s: answered from the state pushed ahead: LOCAL" % kind,
              line is not None and line.startswith("LOCAL kind-dev/default"), repr(line))
        pid = wait_for(box.agent_pid)
        os.kill(pid, signal.SIGSTOP)
        try:
            box.write_kubeconfig("prod-eu", ["kind-dev", "prod-eu"])
            line, colored = pane.run("true")
            never_green(kind, "agent stopped, kubeconfig switched elsewhere", line, colored, "[sentinel: stale] UNKNOWN")
        finally:
            os.kill(pid, signal.SIGCONT)
        ok = wait_for(lambda: (pane.run("true")[0] or "").startswith("PROD prod-eu"), 5.0)
        check("%s: agent continued: PROD prod-eu" % kind, ok, repr(pane.rows()[-8:]))
    finally:
        if pane:
            pane.close()
        box.close()


def fresh_agent(kind, tries=3):
    for attempt in range(tries):
        box, env = sandbox()
        pane = None
        try:
            pane = Pane(box, kind, env)
            pane.run("true")
            pid = wait_for(box.agent_pid)
            os.kill(pid, signal.SIGKILL)
            pane.close()
            pane = Pane(box, kind, env)  # a new shell: its relay starts a new agent
            line, colored = pane.run("export PGSERVICE=prod-orders")
            never_green(kind, "new agent, first pg evaluation (try %d)" % (attempt + 1), line, colored)
            check("%s: new agent: PROD or stale UNKNOWN (try %d)" % (kind, attempt + 1),
                  line is not None and (line.startswith("PROD ") or line.startswith("[sentinel: stale] UNKNOWN")
                                        or line.startswith("[sentinel: agent down] UNKNOWN")), repr(line))
        finally:
            if pane:
                pane.close()
            box.close()


def main():
    require("tmux", "zsh")
    for kind in ("bash", "zsh"):
        stopped_own_change(kind)
        stopped_change_elsewhere(kind)
        fresh_agent(kind)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
