#!/usr/bin/env python3
"""End-to-end: the status line reserved inside the terminal (scroll region,
terminfo), painted by `sentinel bar --inline` in real tmux panes (private
socket) and read back with capture-pane: it shows the target, repaints when
the real `kubectl config use-context` changes it with no key pressed, stays
put while output scrolls, moves after a resize, shows hostile names as text,
and gives the full screen back on exit. Without a usable terminal (TERM=dumb,
unknown TERM, 1x5, no terminal) it reserves nothing and says so once
(BAD_INPUTS.md rows 3, 6, 31).

Run by ctest with SENTINEL_BIN and SENTINEL_SOURCE set."""
import os
import subprocess
import sys

from testlib import BIN, Pty, TempHome, Tmux, check, kubeconfig, require, summary, wait_for

HOME = TempHome("sentinel-line-")
WORK = HOME.dir
CANARY = os.path.join(WORK, "canary")
KUBE = os.path.join(WORK, "kubeconfig")
NAMES = ["dev", "prod-eu", f"#(touch {CANARY})", "\x1b]0;pwned\x07\x1b[2J"]


def write_kubeconfig(current):
    HOME.write(KUBE, kubeconfig(current, NAMES, namespaces={n: "payments" if n == "prod-eu" else "default" for n in NAMES},
                                server="https://10.1.2.3:6443"))


ENV = HOME.env(KUBECONFIG=KUBE, PS1="$ ")
del ENV["XDG_RUNTIME_DIR"]  # no agent: `sentinel bar --inline` evaluates in-process


tmux = Tmux()
rows, last_row = tmux.rows, tmux.last


def use_context(name):
    r = subprocess.run(["kubectl", "config", "use-context", name], env=ENV, capture_output=True)
    assert r.returncode == 0, r.stderr


def is_prompt(row):
    return row.rstrip().endswith(("$", "#"))


def run_in_pty(argv, env, size):
    """Runs argv on a new pseudo-terminal of `size` (rows, cols); returns (exit code, everything it wrote)."""
    p = Pty(argv, env, size)
    try:
        code = p.wait(5)
    finally:
        p.close()
    return code, bytes(p.buf)


def no_line_cases():
    # The size is set after the child starts, so the 1x5 case sets it first through stty.
    base = dict(ENV)
    for term in ["dumb", "no-such-terminal-xyz", "vt52"]:
        rc, out = run_in_pty([BIN, "bar", "--inline"], dict(base, TERM=term), (40, 160))
        check(f"TERM={term}: exits 0", rc == 0, rc)
        check(f"TERM={term}: one notice, no escape byte", out.count(b"no status line") == 1 and b"\x1b" not in out, out)
    rc, out = run_in_pty(["/bin/sh", "-c", f"stty rows 1 cols 5; exec {BIN} bar --inline"],
                         dict(base, TERM="xterm-256color"), (40, 160))
    check("1x5: exits 0 with a notice, no escape byte", rc == 0 and b"too small" in out and b"\x1b" not in out, out)
    r = subprocess.run([BIN, "bar", "--inline"], env=dict(base, TERM="xterm-256color"), capture_output=True,
                       stdin=subprocess.DEVNULL, start_new_session=True, timeout=10)
    check("not a terminal: exits 0 with a notice", r.returncode == 0 and b"not a terminal" in r.stderr, r.stderr)


def main():
    require("tmux", "kubectl")
    write_kubeconfig("dev")
    no_line_cases()
    env_args = []
    for k, v in ENV.items():
        env_args += ["-e", f"{k}={v}"]
    try:
        tmux("start-server", ";", "set-option", "-g", "default-terminal", "tmux-256color")
        shell = tmux("new-session", "-d", "-s", "t", "-x", "90", "-y", "20", "-P", "-F", "#{pane_id}", *env_args,
                     "bash --norc --noprofile -i").strip()
        wait_for(lambda: any(is_prompt(r) for r in rows(shell)))
        tmux("send-keys", "-t", shell, f"{BIN} bar --inline &", "Enter")
        check("reserved bottom line shows dev", wait_for(lambda: last_row(shell).startswith(" DEV  kube dev/default")),
              rows(shell))
        use_context("prod-eu")
        check("repainted to prod while the shell is idle, no key pressed",
              wait_for(lambda: last_row(shell).startswith(" PROD  kube prod-eu/payments")), rows(shell))
        tmux("send-keys", "-t", shell, "seq 1 100", "Enter")
        wait_for(lambda: any(r.strip() == "100" for r in rows(shell)))
        r = rows(shell)
        check("output scrolls above the line", r[-1].startswith(" PROD  kube prod-eu/payments") and
              any(x.strip() == "100" for x in r[:-1]) and is_prompt(r[-2]), r)

        use_context(NAMES[2])
        check("hostile #(...) shown as text", wait_for(lambda: f"kube #(touch {CANARY})/default" in last_row(shell)),
              last_row(shell))
        use_context(NAMES[3])
        check("escapes shown visibly", wait_for(lambda: "kube \\e]0;pwned\\a\\e[2J/default" in last_row(shell)),
              last_row(shell))
        check("no OSC reached the terminal (pane title)",
              "pwned" not in tmux("display-message", "-p", "-t", shell, "#{pane_title}"))
        check("no CSI 2J reached the terminal (screen kept)", any(x.strip() == "100" for x in rows(shell)), rows(shell))
        check("the canary was never created", not os.path.exists(CANARY))

        use_context("prod-eu")
        wait_for(lambda: last_row(shell).startswith(" PROD"))
        tmux("send-keys", "-t", shell, "kill %1; wait", "Enter")
        check("exit clears the line", wait_for(lambda: "PROD" not in last_row(shell)), rows(shell))
        tmux("send-keys", "-t", shell, "seq 200 300", "Enter")
        check("full scroll region given back",
              wait_for(lambda: rows(shell)[-2].strip() == "300" and is_prompt(rows(shell)[-1])), rows(shell))

        # Foreground bar (it gets SIGWINCH): a resize moves the line to the new last row.
        win = tmux("new-window", "-d", "-P", "-F", "#{pane_id}", *env_args,
                   f"sh -c 'echo hello; exec {BIN} bar --inline'").strip()
        check("foreground line painted", wait_for(lambda: last_row(win).startswith(" PROD")), rows(win))
        tmux("resize-window", "-t", win, "-y", "12")
        check("resize: line on the new last row", wait_for(lambda: len(rows(win)) == 12 and
                                                           last_row(win).startswith(" PROD")), rows(win))
        tmux("resize-window", "-t", win, "-y", "20")
        check("resize back: line on the last row, once",
              wait_for(lambda: last_row(win).startswith(" PROD") and
                       sum(1 for x in rows(win) if x.startswith(" PROD")) == 1), rows(win))
    finally:
        tmux.kill()
    check("the canary was never created (end)", not os.path.exists(CANARY))
    HOME.close()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
