#!/usr/bin/env python3
"""The tmux plugin loads the way TPM loads a plugin (issue 8 item 8): TPM
runs every executable `*.tmux` at the top of a plugin's repository, so the
repository's root must hold one that installs the segment. In a private
tmux server (40x160, TERM=xterm-256color), TPM's rule is run on the source
tree; then status-right holds the segment once (running it again does not
add a second), and with a pane's @sentinel_* options set it expands to the
label and the text. The documented run-shell line works the same way."""

import glob
import os
import sys

from testlib import SIZE, SRC, Tmux, check, require, summary, wait_for

# TPM's scripts/source_plugins.sh, for one plugin directory.
TPM_RULE = 'for f in "$0"/*.tmux; do if [ -x "$f" ]; then "$f" >/dev/null 2>&1; fi; done'


def fresh(n):
    """A new private server (its own socket: no waiting for an old one to exit)."""
    tmux = Tmux(f"sentinel-tpm-{os.getpid()}-{n}")
    tmux("new-session", "-d", "-s", "t", "-x", str(SIZE[1]), "-y", str(SIZE[0]), "-e", "TERM=xterm-256color")
    return tmux, tmux("display-message", "-p", "#{pane_id}").strip()


def expanded(tmux, pane):
    return tmux("display-message", "-p", "-t", pane, "#{T:status-right}")


def main():
    require("tmux", "bash")
    check("the repository's root holds an executable *.tmux (TPM runs those)",
          any(os.access(f, os.X_OK) for f in glob.glob(os.path.join(SRC, "*.tmux"))), os.listdir(SRC))
    servers = []
    try:
        for n, (how, command) in enumerate( (("TPM's rule", f"sh -c '{TPM_RULE}' {SRC}"),
                             ("run-shell contrib/tmux/sentinel.tmux", os.path.join(SRC, "contrib", "tmux", "sentinel.tmux")))):
            tmux, pane = fresh(n)
            servers.append(tmux)
            tmux("run-shell", command)
            right = lambda: tmux("show-options", "-gv", "status-right")
            check(f"{how}: status-right holds the segment", wait_for(lambda: "@sentinel_label" in right()), right())
            tmux("run-shell", command)
            check(f"{how}: loading twice installs it once", right().count("#{?@sentinel_label") == 1, right())
            tmux("set-option", "-p", "-t", pane, "@sentinel_label", "PROD")
            tmux("set-option", "-p", "-t", pane, "@sentinel_text", "kube prod-eu/payments")
            tmux("set-option", "-p", "-t", pane, "@sentinel_fg", "colour196")
            tmux("set-option", "-p", "-t", pane, "@sentinel_style", "fg=colour231,bg=colour196,bold")
            shown = expanded(tmux, pane)
            check(f"{how}: the pane's target shows", " PROD " in shown and "kube prod-eu/payments" in shown, shown)
    finally:
        for tmux in servers:
            tmux.kill()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
