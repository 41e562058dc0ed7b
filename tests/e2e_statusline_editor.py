#!/usr/bin/env python3
"""The status line survives what a person does at the prompt (issue 8 item
1), in bash and zsh with the integration, on a 40x160 tmux pane with
TERM=xterm-256color, read back with capture-pane: the line is on the last
row and the cursor after the prompt, at the first prompt, after a command,
after output that scrolls, after `clear`, after a resize with no key
pressed; in zsh also after Ctrl-L (clear-screen), with a right prompt
(RPROMPT), a two-line theme coloured with %{...%}, a completion list and a
widget that calls `zle reset-prompt`; and what is typed afterwards still
goes to the prompt and runs. zsh's line editor clears to the end of the
screen whenever it draws a whole prompt: before the fix the line showed only
between an outside change and the next command."""

import sys

from testlib import Screen, check, require, summary, wait_for

LINE = " LOCAL  kube kind-dev/default"


class Pane:
    def __init__(self, screen, kind, after):
        self.screen, self.kind = screen, kind
        self.id = screen.shell(kind, after=after)

    def rows(self):
        return self.screen.rows(self.id)

    def settled(self, rows=Screen.ROWS):
        """The line on the last of `rows` rows, exactly once, and the cursor
        just after a prompt ending in "> " on its own row; (ok, detail)."""
        r = self.rows()
        x, y = self.screen.cursor(self.id)
        # capture-pane drops trailing spaces: the prompt's last one among them.
        before = r[y].ljust(Screen.COLS)[:x] if y < len(r) else ""
        ok = (len(r) == rows and r[-1].startswith(LINE) and sum(1 for row in r if row.startswith(LINE)) == 1
              and y < len(r) - 1 and before.endswith("> ") and not before.endswith("  "))
        return ok, f"cursor {(x, y)}, rows {[row for row in r if row.strip()][-4:]}"

    def expect(self, what, rows=Screen.ROWS, timeout=8):
        ok = wait_for(lambda: self.settled(rows)[0], timeout=timeout)
        check(f"{self.kind}: {what}", ok, self.settled(rows)[1])

    def keys(self, *keys):
        self.screen("send-keys", "-t", self.id, *keys)


def common(screen, kind, after):
    p = Pane(screen, kind, after)
    p.expect("the first prompt has the line", timeout=15)
    screen.type(p.id, "echo hi")
    p.expect("after a command")
    screen.type(p.id, "seq 1 100")
    p.expect("after output that scrolls")
    check(f"{kind}: the output scrolled above the line", wait_for(lambda: p.rows()[-3].strip() == "100"), p.rows()[-4:])
    screen.type(p.id, "clear")
    p.expect("after clear")
    check(f"{kind}: clear put the prompt on the first row", screen.cursor(p.id)[1] == 0, screen.cursor(p.id))
    screen.type(p.id, "seq 1 100")
    p.expect("before the resize")
    screen.resize(p.id, 30)
    p.expect("after a resize to 30 rows, no key pressed", rows=30)
    screen.resize(p.id, Screen.ROWS)
    p.expect("after a resize back to 40 rows, no key pressed")
    return p


def typed_and_run(screen, p):
    screen.type(p.id, "echo typed-$((6*7))")
    check(f"{p.kind}: typing afterwards goes to the prompt and runs",
          wait_for(lambda: "typed-42" in p.rows() and any("> echo typed-$((6*7))" in r for r in p.rows())),
          [r for r in p.rows() if r.strip()][-4:])
    p.expect("and the line stays")


def zsh_only(screen):
    theme = ("PROMPT='> '\nRPROMPT='%F{green}right%f'\nautoload -Uz compinit && compinit -u\n"
             "_sentinel_test_reset() { zle reset-prompt }\nzle -N _sentinel_test_reset\nbindkey '^G' _sentinel_test_reset\n")
    p = common(screen, "zsh", theme)
    p.keys("C-l")
    p.expect("after Ctrl-L (clear-screen)")
    check("zsh: the right prompt is drawn beside the prompt",
          wait_for(lambda: p.rows()[screen.cursor(p.id)[1]].rstrip().endswith("right")), p.rows()[:2])
    p.keys("C-g")
    p.expect("after a widget calling zle reset-prompt")
    screen.type(p.id, "ls /", enter=False)
    p.keys("Tab", "Tab")
    check("zsh: a completion list is shown", wait_for(lambda: any("usr/" in r for r in p.rows())), p.rows()[:4])
    ok = wait_for(lambda: p.rows()[-1].startswith(LINE), timeout=8)
    check("zsh: the line after a completion list", ok, p.rows()[-3:])
    p.keys("C-u")
    p.keys("C-l")
    p.expect("after the list is gone")
    typed_and_run(screen, p)

    two = Pane(screen, "zsh", "PROMPT=$'%{\\e[36m%}%n@%m%{\\e[0m%} %~\\n> '")
    two.expect("a two-line theme coloured with %{...%}", timeout=15)
    screen.type(two.id, "seq 1 100")
    two.expect("a two-line theme after output that scrolls")
    two.keys("C-l")
    two.expect("a two-line theme after Ctrl-L")
    typed_and_run(screen, two)


def main():
    require("tmux", "bash", "zsh")
    for kind in ("bash", "zsh"):
        screen = Screen(f"editor-{kind}")
        try:
            if kind == "bash":
                typed_and_run(screen, common(screen, "bash", "PS1='> '"))
            else:
                zsh_only(screen)
        finally:
            screen.close()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
