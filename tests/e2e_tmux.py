#!/usr/bin/env python3
"""End-to-end: sentinel's tmux sink on a real tmux server (private socket,
`tmux -L NAME -f /dev/null`): `sentinel bar` in a pane repaints when the real
`kubectl config use-context` changes the kubeconfig, without a key pressed;
`sentinel bar --push-tmux` sets the pane options (read back with
`show-options -p`); contrib/tmux/sentinel.tmux shows the active pane's target
in the status line of a client attached in a pseudo-terminal and follows
select-pane; hostile names (BAD_INPUTS.md rows 3 and 6) are text, and the
canary file `#(touch ...)` would create is never created.

Run by ctest with SENTINEL_BIN and SENTINEL_SOURCE set."""
import os
import re
import subprocess
import sys

from testlib import BIN, SRC, Pty, TempHome, Tmux, check, kubeconfig as kubeconfig_text, require, summary, wait_for

HOME = TempHome("sentinel-tmux-")
WORK = HOME.dir
CANARY = os.path.join(WORK, "canary")
HOSTILE = {
    "cmd": f"#(touch {CANARY})",
    "format": "#{pane_title}",
    "style": "#[fg=red]##",
    # kubectl cannot write a kubeconfig holding C1 or DEL (its YAML emitter
    # refuses them): those are covered byte for byte by the unit tests.
    "escapes": "\x1b]0;pwned\x07\x1b]52;c;QUJD\x07\x1b[2J",
    "semicolon": "prod;",
}


def kubeconfig(path, current):
    names = ["dev", "prod-eu"] + list(HOSTILE.values())
    HOME.write(path, kubeconfig_text(current, names, namespaces={n: "payments" if n == "prod-eu" else "default" for n in names},
                                     server="https://10.1.2.3:6443", user="{token: CANARY-TOKEN-41}"))


def env_for(kube):
    env = HOME.env(KUBECONFIG=kube)
    del env["XDG_RUNTIME_DIR"]  # no agent: bar evaluates in-process
    return env


tmux = Tmux()
option = tmux.option


def use_context(kube, name):
    r = subprocess.run(["kubectl", "config", "use-context", name], env=env_for(kube), capture_output=True)
    assert r.returncode == 0, r.stderr


def capture(pane):
    return tmux("capture-pane", "-p", "-t", pane)


def new_pane(kube, command, first=False):
    e = []
    for k, v in env_for(kube).items():
        e += ["-e", f"{k}={v}"]
    if first:
        return tmux("new-session", "-d", "-s", "t", "-x", "120", "-y", "20", "-P", "-F", "#{pane_id}", *e, command).strip()
    return tmux("split-window", "-d", "-t", "t", "-P", "-F", "#{pane_id}", *e, command).strip()


class Client(Pty):
    """A tmux client attached in a pseudo-terminal; collects what it draws."""

    def __init__(self):
        env = {k: v for k, v in os.environ.items() if k != "TMUX"}
        env["TERM"] = "xterm-256color"
        super().__init__(["tmux", "-L", tmux.socket, "-f", "/dev/null", "attach", "-t", "t"], env, (20, 120))

    def read(self, seconds):
        return self.read_for(seconds)

    def text_since(self, mark):
        raw = self.buf[mark:].decode("utf-8", "replace")
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>78M]|[\x0e\x0f]", "", raw)

    def status_since(self, mark, row=20):
        """Text the client drew on `row` (the status line) since byte `mark`,
        following cursor addressing (CUP, CUU, CUD) and line feeds from the start."""
        out, current, offset = "", 0, 0
        for part in re.split(rb"(\x1b\[\d*;?\d*H|\x1b\[\d*[AB]|\n)", self.buf):
            m = re.fullmatch(rb"\x1b\[(\d*);?(\d*)H", part)
            move = re.fullmatch(rb"\x1b\[(\d*)([AB])", part)
            if m:
                current = int(m.group(1) or 1)
            elif move:
                current += int(move.group(1) or 1) * (1 if move.group(2) == b"B" else -1)
            elif part == b"\n":
                current += 1
            elif current == row and offset + len(part) > mark:
                text = part[max(0, mark - offset):].decode("utf-8", "replace")
                out += re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>78M]|[\x0e\x0f\r]", "", text)
            offset += len(part)
        return out

    def close(self):
        self.kill()
        super().close()


def main():
    require("tmux", "kubectl")
    kube = os.path.join(WORK, "kubeconfig")
    kube_b = os.path.join(WORK, "kubeconfig-b")
    kubeconfig(kube, "dev")
    kubeconfig(kube_b, "prod-eu")
    try:
        bar = new_pane(kube, f"{BIN} bar", first=True)
        push = new_pane(kube, f"{BIN} bar --push-tmux")
        push_b = new_pane(kube_b, f"{BIN} bar --push-tmux")

        # sentinel bar: the pane repaints on the change, no key pressed.
        check("bar shows dev", wait_for(lambda: " DEV  kube dev/default" in capture(bar)), capture(bar))
        check("push sets @sentinel_tier", wait_for(lambda: option(push, "@sentinel_tier") == "development"),
              option(push, "@sentinel_tier"))
        use_context(kube, "prod-eu")
        check("bar repaints to prod without a key", wait_for(lambda: " PROD  kube prod-eu/payments" in capture(bar)),
              capture(bar))
        check("@sentinel_tier follows", wait_for(lambda: option(push, "@sentinel_tier") == "production"),
              option(push, "@sentinel_tier"))
        check("@sentinel_label", option(push, "@sentinel_label") == "PROD", option(push, "@sentinel_label"))
        check("@sentinel_text", option(push, "@sentinel_text") == "kube prod-eu/payments", option(push, "@sentinel_text"))
        check("@sentinel_style", option(push, "@sentinel_style") == "fg=colour1,bold,reverse", option(push, "@sentinel_style"))
        check("production pane tinted", option(push, "window-style") == "bg=colour52", option(push, "window-style"))
        clients = tmux("list-clients", "-F", "#{client_flags}")
        check("options go through a control client that ignores sizes",
              "control-mode" in clients and "ignore-size" in clients, clients)
        check("window size untouched", tmux("display-message", "-p", "-t", push, "#{window_width}x#{window_height}").strip()
              == "120x20")
        check("no secret in any option", "CANARY-TOKEN" not in tmux("show-options", "-p", "-t", push))
        use_context(kube, "dev")
        check("tint removed on leaving production", wait_for(lambda: option(push, "window-style") == ""),
              option(push, "window-style"))

        # The plugin, a client attached in a pty, focus moves.
        tmux("set-option", "-g", "status-interval", "0")  # nothing may depend on polling
        tmux("run-shell", f"bash {SRC}/contrib/tmux/sentinel.tmux")
        check("plugin installs the segment", "@sentinel_label" in tmux("show-options", "-g", "-v", "status-right"))
        tmux("run-shell", f"bash {SRC}/contrib/tmux/sentinel.tmux")
        check("plugin is idempotent", tmux("show-options", "-g", "-v", "status-right").count("#{?@sentinel_label") == 1)
        wait_for(lambda: option(push_b, "@sentinel_tier") == "production")
        client = Client()
        client.read(0.5)
        mark = len(client.buf)
        tmux("select-pane", "-t", push_b)
        client.read(0.4)
        check("status shows the active pane (B: prod)", "PROD" in client.status_since(mark) and
              "kube prod-eu/payments" in client.status_since(mark), client.status_since(mark)[-400:])
        mark = len(client.buf)
        tmux("select-pane", "-t", push)
        client.read(0.4)
        check("status follows select-pane (A: dev)", "kube dev/default" in client.status_since(mark) and
              "prod-eu" not in client.status_since(mark), client.status_since(mark)[-400:])

        # A change while the client watches: the status line changes with no key and no status-interval.
        mark = len(client.buf)
        use_context(kube, "prod-eu")
        client.read(0.6)
        check("status line repaints on the option change", "kube prod-eu/payments" in client.status_since(mark),
              repr(client.buf[mark:])[-600:])

        # Hostile names through every sink (rows 3 and 6).
        expected_text = {
            "cmd": f"kube ##(touch {CANARY})/default",
            "format": "kube ##{pane_title}/default",
            "style": "kube ##[fg=red]####/default",
            "escapes": "kube \\e]0;pwned\\a\\e]52;c;QUJD\\a\\e[2J/default",
            "semicolon": "kube prod;/default",
        }
        shown = {
            "cmd": f"#(touch {CANARY})",
            "format": "#{pane_title}",
            "style": "#[fg=red]##",
            "escapes": "\\e]0;pwned\\a\\e]52;c;QUJD\\a\\e[2J",
            "semicolon": "prod;",
        }
        for key, name in HOSTILE.items():
            mark = len(client.buf)
            use_context(kube, name)
            got = wait_for(lambda: option(push, "@sentinel_text") == expected_text[key] and option(push, "@sentinel_text"))
            check(f"{key}: @sentinel_text escaped", got == expected_text[key], repr(option(push, "@sentinel_text")))
            check(f"{key}: bar pane shows the name as text",
                  wait_for(lambda: shown[key] in capture(bar)), repr(capture(bar)))
            client.read(0.4)
            check(f"{key}: status line shows the name as text", shown[key] in client.status_since(mark),
                  repr(client.status_since(mark)[-300:]))
        raw = client.buf.decode("utf-8", "replace")
        check("no OSC from a name reached the client", "pwned" not in tmux("display-message", "-p", "-t", bar, "#{pane_title}")
              and "\x1b]52" not in raw)
        client.close()
        check("the canary was never created", not os.path.exists(CANARY))

        # NO_COLOR: reverse video, no colour, no tint.
        nc = new_pane(kube, f"env NO_COLOR=1 {BIN} bar --push-tmux")
        use_context(kube, "prod-eu")
        wait_for(lambda: option(nc, "@sentinel_tier") == "production")
        check("NO_COLOR style", wait_for(lambda: option(nc, "@sentinel_style") == "bold,reverse"), option(nc, "@sentinel_style"))
        check("NO_COLOR no tint", option(nc, "window-style") == "", option(nc, "window-style"))

        # bar --session/--pane follow a shell through the agent: with no agent, a
        # clear one-line error naming how to start it, not a silent wrong answer.
        no_agent = dict(os.environ, XDG_RUNTIME_DIR=HOME.path("no-agent-run"))
        os.makedirs(no_agent["XDG_RUNTIME_DIR"], mode=0o700)
        r = subprocess.run([BIN, "bar", "--session", "1"], capture_output=True, text=True, env=no_agent)
        check("bar --session without an agent says how to start it",
              r.returncode == 1 and r.stderr.startswith("sentinel: error: bar: no agent at ") and
              "sentinel agent" in r.stderr and r.stderr.count("\n") == 1, r.stderr)
    finally:
        tmux.kill()
    check("the canary was never created (end)", not os.path.exists(CANARY))
    HOME.close()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
