#!/usr/bin/env python3
"""A status line painted late leaves the cursor where the shell left it
(issue 8 item 3). On a 40x160 tmux pane with TERM=xterm-256color, in bash
and zsh with the integration: the agent is stopped (SIGSTOP) so a prompt
gives up waiting and the shell draws it; the agent then resumes and paints
the line (the reserve of the first prompt of a new shell, and a repaint
after a target change). The cursor must stay where the prompt left it, on
the prompt's row, and typed text must follow the prompt, not overwrite it.
Before the fix the tty turned the reserve's line feed into CR LF: the cursor
went to column 0 and typing overwrote the prompt."""

import os
import signal
import subprocess
import sys
import time

from testlib import BIN, Screen, check, require, summary, wait_for

PROMPTS = {"bash": ("PS1='$ '", "$ "), "zsh": ("PROMPT='%# '", "# ")}


def prompt_row(screen, pane, end):
    """(row index, text) of the last row ending with the prompt `end`."""
    rows = screen.rows(pane)
    for i in range(len(rows) - 1, -1, -1):
        if rows[i].endswith(end.rstrip()) or rows[i].endswith(end):
            return i, rows[i]
    return None, None


def typed_after_prompt(screen, pane, row, text, word):
    """The pane's row `row` reads the prompt `text` (capture-pane drops its
    trailing space) followed by a space and `word` (typed, not run)."""
    return screen.rows(pane)[row].rstrip() == f"{text.rstrip()} {word}"


def late_first_reserve(kind):
    """The agent is stopped while a new shell starts: the first prompt is
    drawn without an answer, and the first reserve arrives after it."""
    screen = Screen(f"late-first-{kind}")
    try:
        env = dict(screen.env)
        subprocess.run([BIN, "agent"], env=env, check=True, timeout=20)
        pid = wait_for(screen.agent_pid)
        os.kill(pid, signal.SIGSTOP)
        before, end = PROMPTS[kind]
        pane = screen.shell(kind, after=before)
        row = wait_for(lambda: prompt_row(screen, pane, end)[0] is not None and "stale" in prompt_row(screen, pane, end)[1],
                       timeout=15)
        check(f"{kind}: the first prompt is drawn while the agent is stopped", row, screen.rows(pane)[:3])
        y, text = prompt_row(screen, pane, end)
        at = screen.cursor(pane)
        os.kill(pid, signal.SIGCONT)
        check(f"{kind}: the late first paint shows the line",
              wait_for(lambda: screen.last(pane).startswith(" LOCAL  kube kind-dev/default"), timeout=10), screen.rows(pane)[-2:])
        time.sleep(0.3)
        check(f"{kind}: the cursor stays where the prompt left it", screen.cursor(pane) == at,
              f"{screen.cursor(pane)} != {at}")
        screen.type(pane, "echo typed", enter=False)
        check(f"{kind}: typing follows the prompt",
              wait_for(lambda: typed_after_prompt(screen, pane, y, text, "echo typed"), timeout=5),
              repr(screen.rows(pane)[y]))
    finally:
        screen.close()


def late_repaint(kind):
    """A running shell with the line; the agent is stopped, the target
    changes, a prompt goes stale, the agent resumes and paints."""
    screen = Screen(f"late-again-{kind}")
    try:
        before, end = PROMPTS[kind]
        pane = screen.shell(kind, after=before)
        check(f"{kind}: line shown", wait_for(lambda: screen.last(pane).startswith(" LOCAL"), timeout=15), screen.rows(pane)[-2:])
        screen.type(pane, "seq 1 60")  # the prompt on the last row above the line
        wait_for(lambda: screen.rows(pane)[-3].strip() == "60")
        pid = screen.agent_pid()
        os.kill(pid, signal.SIGSTOP)
        try:
            # The target changes first: the relay sees the kubeconfig is not
            # the file the state pushed ahead was made from, asks the stopped
            # agent and gives up (a prompt it could answer itself is not stale).
            with open(screen.kubeconfig) as f:
                config = f.read()
            with open(screen.kubeconfig, "w") as f:
                f.write(config.replace("current-context: kind-dev", "current-context: prod-eu"))
            screen.type(pane, "true")
            check(f"{kind}: the prompt goes stale", wait_for(lambda: "stale" in screen.rows(pane)[-2], timeout=5),
                  screen.rows(pane)[-3:])
            y, text = prompt_row(screen, pane, end)
            at = screen.cursor(pane)
        finally:
            os.kill(pid, signal.SIGCONT)
        check(f"{kind}: the late paint shows the new target",
              wait_for(lambda: screen.last(pane).startswith(" PROD  kube prod-eu/payments"), timeout=10),
              screen.rows(pane)[-2:])
        time.sleep(0.3)
        check(f"{kind}: the cursor stays where the prompt left it", screen.cursor(pane) == at,
              f"{screen.cursor(pane)} != {at}")
        screen.type(pane, "echo typed", enter=False)
        check(f"{kind}: typing follows the prompt",
              wait_for(lambda: typed_after_prompt(screen, pane, y, text, "echo typed"), timeout=5),
              repr(screen.rows(pane)[y]))
    finally:
        screen.close()


def main():
    require("tmux", "bash", "zsh")
    for kind in ("bash", "zsh"):
        late_first_reserve(kind)
        late_repaint(kind)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
