"""fish beside bash and zsh, built on testlib (its Sandbox, Shell, Tmux, BIN
and SRC; nothing of its own for terminals or processes): a FishSandbox
starts interactive fish shells with `sentinel init fish | source`, either in
the sandbox's private tmux server (40x160, TERM=xterm-256color, read back
with capture-pane: what a person sees) or on a bare pseudo-terminal (a
testlib.Shell, for timing: bench/fish_prompt_bench.py). Not a test itself."""

import os
import re
import shlex
import time

from testlib import BIN, SIZE, SRC, Sandbox, Shell, Tmux

PROMPT_RE = re.compile(r"<<(.*?)>>@P@")


def _protocol():
    """The shell protocol version shell/sentinel.fish speaks."""
    with open(os.path.join(SRC, "shell", "sentinel.fish")) as f:
        m = re.search(r"^set -g _sentinel_protocol (\d+)$", f.read(), re.M)
    return int(m.group(1)) if m else 0


PROTOCOL = _protocol()


class FishPane:
    """One fish shell in a tmux pane (`target`) of a testlib.Tmux server;
    commands are typed with send-keys."""

    def __init__(self, tmux, target):
        self.tmux = tmux
        self.target = target

    def screen(self, history=True, escapes=False):
        args = ["capture-pane", "-p", "-J", "-t", self.target]
        if history:
            args += ["-S", "-"]
        if escapes:
            args.append("-e")
        return self.tmux(*args)

    def prompts(self):
        """Every prompt line so far (history included), oldest first."""
        return [line for line in self.screen().split("\n") if "@P@" in line]

    def wait_prompts(self, count, timeout=10.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            p = self.prompts()
            if len(p) >= count:
                return p
            time.sleep(0.02)
        raise TimeoutError("fish: no prompt %d on screen:\n%s" % (count, self.screen()))

    def type(self, text):
        """Types `text` and Enter."""
        self.tmux("send-keys", "-t", self.target, "-l", text)
        self.tmux("send-keys", "-t", self.target, "Enter")

    def run(self, command, timeout=10.0):
        """Types `command` and Enter, waits for the next prompt; returns
        (screen text, segment of the new prompt)."""
        before = len(self.prompts())
        self.type(command)
        lines = self.wait_prompts(before + 1, timeout)
        m = PROMPT_RE.search(lines[-1])
        return self.screen(), (m.group(1) if m else None)

    def value(self, name):
        text, _ = self.run("printf '<V>%%s</V>\\n' \"$%s\"" % name)
        found = re.findall(r"<V>(.*?)</V>", text)
        return found[-1] if found else None


class FishSandbox(Sandbox):
    """A testlib.Sandbox with fish shells; `self.tmux` is its private tmux
    server (testlib.Tmux), started by the first fish()."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.data = self.path("data")
        os.makedirs(self.data)
        self.tmux = Tmux("sentinel-fish-%d-%s" % (os.getpid(), os.path.basename(self.dir)))
        self.tmux_started = False
        self.configs = 0

    def config(self, before="", after="", init=True):
        """A fish config dir whose config.fish loads the integration and
        prints `<<$SENTINEL_SEGMENT>>@P@ ` as the prompt (testlib.MARK)."""
        cfg = self.path("config.%d" % self.configs)
        self.configs += 1
        self.write(os.path.join(cfg, "fish", "config.fish"),
                   "set -g fish_greeting ''\n" + before + "\n" +
                   ("%s init fish | source\n" % shlex.quote(BIN) if init else "") +
                   "function fish_prompt; printf '<<%s>>@P@ ' \"$SENTINEL_SEGMENT\"; end\n" + after + "\n")
        return cfg

    def fish_env(self, cfg, **extra):
        return self.env(XDG_CONFIG_HOME=cfg, XDG_DATA_HOME=self.data, TERM="xterm-256color", **extra)

    def fish(self, before="", after="", init=True, prompt=True, **extra):
        """A fish shell in a new window of the private tmux server."""
        env = self.fish_env(self.config(before, after, init), **extra)
        command = "env -i " + " ".join(shlex.quote("%s=%s" % kv) for kv in env.items()) + " fish -i"
        if not self.tmux_started:
            self.tmux("new-session", "-d", "-x", str(SIZE[1]), "-y", str(SIZE[0]), "-s", "main", command)
            self.tmux("set-option", "-g", "status", "off")
            self.tmux_started = True
            target = "main:0"
        else:
            target = self.tmux("new-window", "-P", "-F", "#{session_name}:#{window_index}", "-t", "main",
                               command).strip()
        pane = FishPane(self.tmux, target)
        if prompt:
            pane.wait_prompts(1)
        return pane

    def fish_pty(self, before="", after="", init=True, **extra):
        """A fish shell on a bare pseudo-terminal (testlib.Shell, 40x160)."""
        sh = Shell(["fish", "-i"], self.fish_env(self.config(before, after, init), **extra))
        self.shells.append(sh)
        sh.read_until(timeout=15)
        return sh

    def close(self):
        if self.tmux_started:
            self.tmux.kill()
        super().close()
