#!/usr/bin/env python3
"""Settings and colour as a new user meets them (issue 8 item 5), in bash
and zsh with the integration, on a 40x160 tmux pane with
TERM=xterm-256color, read back with capture-pane:
- a bad `[display]` value or key (or undo key) is a config error like any other: the
  prompt turns UNKNOWN, `sentinel status` exits 78 and prints the error once,
  as path:line:col at the value;
- a rule's `port = 54330` (an integer) is accepted; a rule's unknown tier is
  reported at the value; an unterminated string in plain words;
- `export NO_COLOR=1` takes the colours out of the prompt segment;
- with TERM=dumb or an unknown TERM the terminal shows, once, why there is
  no status line."""

import os
import re
import sys

from testlib import BIN, Screen, check, require, summary, wait_for


def text(screen, pane):
    return "\n".join(screen.rows(pane))


def has_row(screen, pane, pattern):
    """True when a row of the pane matches `pattern` (re.search)."""
    return any(re.search(pattern, r) for r in screen.rows(pane))


def ran(screen, pane, marker="rc="):
    """The exit code echoed as `rc=N` on a row of its own, or None."""
    for r in screen.rows(pane):
        m = re.match(marker + r"(\d+)$", r)
        if m:
            return int(m.group(1))
    return None


def write(path, content):
    with open(path, "w") as f:
        f.write(content)


def config_errors(screen, kind):
    pane = screen.shell(kind, after="PS1='> '" if kind == "bash" else "PROMPT='> '")
    check(f"{kind}: prompt", wait_for(lambda: "LOCAL kind-dev/default >" in text(screen, pane), timeout=15),
          text(screen, pane))
    cases = [
        ('[display]\nstatusline = "bottm"\n', ':2:14: statusline must be "bottom", "top" or "off"'),
        ('[display]\nstatusline = 1\n', ':2:14: statusline must be "bottom", "top" or "off"'),
        ('[display]\nosc_tint = "yes"\n', ':2:12: osc_tint must be true or false'),
        ('[display]\ntmux_tnt = true\n', ':2:1: unknown key "tmux_tnt" in [display]'),
        ('# the undo keys, alike\nundo = "maybe"\n', ':2:8: undo must be "required", "best-effort" or "off"'),
        ('[[rules]]\ntier = "prd"\ncontext = "kind-*"\n', ':2:8: unknown tier "prd"'),
        ('[tiers.production]\nlabel = "PROD\ncolor = "red"\n', ':2:9: unterminated string: the closing quote is missing'),
    ]
    for n, (toml, message) in enumerate(cases):
        rc = f"rc{n}="  # this case's own mark: the previous case's output may not be cleared yet
        name = toml.split("\n")[1]
        write(screen.config, toml)
        screen.type(pane, "clear")
        check(f"{kind}: {name}: the prompt turns UNKNOWN",
              wait_for(lambda: has_row(screen, pane, r"^UNKNOWN .*> *$"), timeout=20), text(screen, pane).strip())
        screen.type(pane, f"clear; sentinel status; echo {rc}$?")
        wait_for(lambda: ran(screen, pane, rc) is not None, timeout=20)
        shown = text(screen, pane)
        check(f"{kind}: {name}: status exits 78", ran(screen, pane, rc) == 78, shown.strip())
        check(f"{kind}: {name}: the error once, at the value, in plain words",
              shown.count(message) == 1 and shown.count(screen.config + message) == 1, shown.strip())
    write(screen.config, '[[rules]]\ntier = "production"\nkind = "pg"\nport = 54330\n')
    screen.type(pane, "export PGHOST=db.example PGPORT=54330")
    screen.type(pane, "clear; sentinel status; echo rcport=$?")
    check(f"{kind}: a rule's port = 54330 (an integer) is no error",
          wait_for(lambda: ran(screen, pane, "rcport=") == 0, timeout=20), text(screen, pane).strip())
    check(f"{kind}: ... and makes the target production", has_row(screen, pane, r"^tier: PROD \(production\)"),
          text(screen, pane).strip())
    check(f"{kind}: ... on the status line too",
          wait_for(lambda: screen.last(pane).startswith(" PROD  kube kind-dev/default \u00b7 pg root@db.example:54330"),
                   timeout=20), screen.last(pane))


def no_color(screen, kind):
    pane = screen.shell(kind, after="PS1='> '" if kind == "bash" else "PROMPT='> '")
    check(f"{kind}: prompt", wait_for(lambda: "LOCAL kind-dev/default >" in text(screen, pane), timeout=15))

    def prompt_sgr():
        rows = screen("capture-pane", "-p", "-e", "-t", pane).split("\n")
        row = [r for r in rows if "kind-dev/default" in r and ">" in r][-1:]
        return re.findall(r"\x1b\[([0-9;]*)m", row[0]) if row else None

    def coloured(sgr):
        return sgr is not None and any(p in ("32", "92") for s in sgr for p in s.split(";"))

    def uncoloured(sgr):
        return sgr is not None and not any(
            p.startswith(("3", "4", "9", "10")) and p not in ("39", "49") for s in sgr for p in s.split(";"))
    check(f"{kind}: the segment is coloured", wait_for(lambda: coloured(prompt_sgr()), timeout=20), prompt_sgr())
    screen.type(pane, "export NO_COLOR=1")
    screen.type(pane, "clear")
    check(f"{kind}: export NO_COLOR=1: no colour in the segment",
          wait_for(lambda: uncoloured(prompt_sgr()), timeout=20), prompt_sgr())


def dumb(screen, kind, term):
    after = "PS1='> '" if kind == "bash" else "PROMPT='> '"
    pane = screen.shell(kind, after=after, env={"TERM": term})
    notice = "sentinel: no status line"
    check(f"{kind}: TERM={term}: the notice is shown in the terminal",
          wait_for(lambda: notice in text(screen, pane), timeout=15), text(screen, pane).strip())
    for _ in range(3):
        screen.type(pane, "true")
    wait_for(lambda: text(screen, pane).count("> true") == 3)
    check(f"{kind}: TERM={term}: once", text(screen, pane).count(notice) == 1, text(screen, pane).strip())


def main():
    require("tmux", "bash", "zsh")
    for kind in ("bash", "zsh"):
        screen = Screen(f"settings-{kind}")
        try:
            screen.env["PATH"] = f"{screen.work}/bin:{screen.env['PATH']}"
            os.makedirs(f"{screen.work}/bin")
            os.symlink(os.path.abspath(BIN), f"{screen.work}/bin/sentinel")
            no_color(screen, kind)
            dumb(screen, kind, "dumb")
            dumb(screen, kind, "no-such-terminal")
            config_errors(screen, kind)
        finally:
            screen.close()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
