"""fish beside bash and zsh: a sandbox (its own HOME, XDG dirs and agent, as
e2e_shell_harness.Sandbox) that starts interactive fish shells with
`sentinel init fish | source`, either in a private tmux server (40x160,
TERM=xterm-256color, read back with capture-pane: what a person sees) or on
a bare pseudo-terminal (for timing, bench/fish_prompt_bench.py). Not a test
itself."""

import fcntl
import os
import pty
import re
import shlex
import shutil
import struct
import subprocess
import termios
import time

from e2e_shell_harness import BIN, MARK, SOURCE, Sandbox, Shell

PROMPT_RE = re.compile(r"<<(.*?)>>@P@")


def _protocol():
    """The shell protocol version shell/sentinel.fish speaks."""
    with open(os.path.join(SOURCE, "shell", "sentinel.fish")) as f:
        m = re.search(r"^set -g _sentinel_protocol (\d+)$", f.read(), re.M)
    return int(m.group(1)) if m else 0


PROTOCOL = _protocol()


def have_fish():
    return shutil.which("fish") is not None


class FishPane:
    """One fish shell in a tmux pane; commands typed with send-keys."""

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

    def run(self, command, timeout=10.0):
        """Types `command` and Enter, waits for the next prompt; returns
        (screen text, segment of the new prompt)."""
        before = len(self.prompts())
        self.tmux("send-keys", "-t", self.target, "-l", command)
        self.tmux("send-keys", "-t", self.target, "Enter")
        lines = self.wait_prompts(before + 1, timeout)
        m = PROMPT_RE.search(lines[-1])
        return self.screen(), (m.group(1) if m else None)

    def value(self, name):
        text, _ = self.run("printf '<V>%%s</V>\\n' \"$%s\"" % name)
        found = re.findall(r"<V>(.*?)</V>", text)
        return found[-1] if found else None


class FishSandbox(Sandbox):
    """Sandbox with fish. `tmux_socket` names this sandbox's tmux server."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.data = os.path.join(self.dir, "data")
        os.makedirs(self.data)
        self.socket = "sentinel-fish-%d-%d" % (os.getpid(), id(self) % 100000)
        self.tmux_started = False
        self.panes = 0

    def tmux(self, *args, check_rc=True):
        r = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True)
        if check_rc and r.returncode != 0:
            raise RuntimeError("tmux %s: %s" % (args, r.stderr))
        return r.stdout

    def config(self, before="", after="", init=True):
        """A fish config dir whose config.fish loads the integration."""
        cfg = os.path.join(self.dir, "config.%d" % self.panes)
        os.makedirs(os.path.join(cfg, "fish"))
        with open(os.path.join(cfg, "fish", "config.fish"), "w") as f:
            f.write("set -g fish_greeting ''\n" + before + "\n")
            if init:
                f.write("%s init fish | source\n" % shlex.quote(BIN))
            f.write("function fish_prompt; printf '<<%s>>@P@ ' \"$SENTINEL_SEGMENT\"; end\n")
            f.write(after + "\n")
        self.panes += 1
        return cfg

    def fish_env(self, cfg, **extra):
        env = self.env(XDG_CONFIG_HOME=cfg, XDG_DATA_HOME=self.data, TERM="xterm-256color", **extra)
        # The sentinel config stays where Sandbox puts it.
        env["SENTINEL_SYSTEM_CONFIG"] = os.path.join(self.dir, "no-system-config.toml")
        return env

    def fish(self, before="", after="", init=True, prompt=True, **extra):
        """A fish shell in a new tmux window (the server is started first)."""
        cfg = self.config(before, after, init)
        env = self.fish_env(cfg, **extra)
        command = "env -i " + " ".join(shlex.quote("%s=%s" % kv) for kv in env.items()) + " fish -i"
        if not self.tmux_started:
            self.tmux("new-session", "-d", "-x", "160", "-y", "40", "-s", "main", command)
            self.tmux("set-option", "-g", "status", "off")
            self.tmux_started = True
            target = "main:0"
        else:
            target = self.tmux("new-window", "-P", "-F", "#{session_name}:#{window_index}", "-t", "main", command).strip()
        pane = FishPane(self.tmux, target)
        if prompt:
            pane.wait_prompts(1)
        return pane

    def fish_pty(self, before="", after="", init=True, **extra):
        """A fish shell on a bare pseudo-terminal of 40x160 (e2e_shell_harness.Shell)."""
        cfg = self.config(before, after, init)
        sh = Shell.__new__(Shell)
        env = self.fish_env(cfg, **extra)
        sh.pid, sh.fd = pty.fork()
        if sh.pid == 0:
            try:
                os.execve(shutil.which("fish"), ["fish", "-i"], env)
            finally:
                os._exit(127)
        fcntl.ioctl(sh.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
        sh.buf = b""
        sh.log = b""
        sh.read_until(MARK, 15)
        self.shells.append(sh)
        return sh

    def close(self):
        if self.tmux_started:
            self.tmux("kill-server", check_rc=False)
        super().close()
