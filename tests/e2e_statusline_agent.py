#!/usr/bin/env python3
"""End-to-end, issue 4 as checked: a private tmux server with two panes
running bash with the integration (`eval "$(sentinel init bash)"`, one agent).
The real `kubectl config use-context` typed in pane 1 changes pane 2's
reserved line (capture-pane) and its @sentinel_tier (show-options -p) with no
key pressed in pane 2; the status format follows select-pane; vim opened and
quit leaves the line repainted; after a resize the next prompt puts the line
on the new last row; exiting the shell gives the full screen back.

Run by ctest with SENTINEL_BIN and SENTINEL_SOURCE set."""
import os
import re
import sys

from testlib import BIN, SRC, TempHome, Tmux, check, kubeconfig, require, summary, wait_for

HOME = TempHome("sentinel-agent-line-")
WORK = HOME.dir
KUBE = HOME.write("kubeconfig", kubeconfig("dev", ["dev", "prod-eu"], namespaces={"dev": "default", "prod-eu": "payments"},
                                           server="https://10.1.2.3:6443"))
RC = HOME.write("bashrc", f'eval "$({BIN} init bash)"\nPS1="\\$ "\n')
ENV = HOME.env(KUBECONFIG=KUBE)


tmux = Tmux()
rows, last, option = tmux.rows, tmux.last, tmux.option


def sgr_of_last(pane):
    """The SGR parameters used on the pane's last row (capture-pane -e); 39
    and 49 are the default colours, as tmux writes a reset."""
    row = tmux("capture-pane", "-p", "-e", "-t", pane).split("\n")[-2]
    return [p or "0" for seq in re.findall(r"\x1b\[([0-9;]*)m", row) for p in seq.split(";")]


def main():
    require("tmux", "kubectl", "bash", "vim.tiny")
    e = sum((["-e", f"{k}={v}"] for k, v in ENV.items()), [])
    shell = f"bash --noprofile --rcfile {RC} -i"
    try:
        tmux("start-server", ";", "set-option", "-g", "default-terminal", "tmux-256color")
        p1 = tmux("new-session", "-d", "-s", "t", "-x", "100", "-y", "30", "-P", "-F", "#{pane_id}", *e, shell).strip()
        p2 = tmux("split-window", "-d", "-t", "t", "-P", "-F", "#{pane_id}", *e, shell).strip()
        tmux("set-option", "-g", "status-interval", "0")
        tmux("run-shell", f"bash {SRC}/contrib/tmux/sentinel.tmux")
        for p in (p1, p2):
            check(f"{p}: reserved line shows dev", wait_for(lambda: last(p).startswith(" DEV  kube dev/default")), rows(p))
            check(f"{p}: @sentinel_tier", wait_for(lambda: option(p, "@sentinel_tier") == "development"),
                  option(p, "@sentinel_tier"))

        before = rows(p2)[:-1]
        tmux("send-keys", "-t", p1, "kubectl config use-context prod-eu", "Enter")
        check("pane 2's line repaints with no key pressed in it",
              wait_for(lambda: last(p2).startswith(" PROD  kube prod-eu/payments")), rows(p2))
        check("pane 2's @sentinel_tier follows", wait_for(lambda: option(p2, "@sentinel_tier") == "production"),
              option(p2, "@sentinel_tier"))
        check("pane 2's text above the line untouched", rows(p2)[:-1] == before, rows(p2))
        check("production pane tinted", wait_for(lambda: option(p2, "window-style") == "bg=colour52"),
              option(p2, "window-style"))

        # NO_COLOR exported in the shell (as ~/.bashrc would), not in the
        # environment the shell started with: reverse video, no tint.
        tmux("send-keys", "-t", p2, "export NO_COLOR=1", "Enter")
        check("export NO_COLOR=1: the line and the pane options turn to reverse video",
              wait_for(lambda: option(p2, "@sentinel_style") == "bold,reverse"), option(p2, "@sentinel_style"))
        check("... the production tint is removed", wait_for(lambda: option(p2, "window-style") == ""),
              option(p2, "window-style"))
        check("... the reserved line is painted in reverse video, still on the last row",
              wait_for(lambda: sgr_of_last(p2) and all(p in ("0", "1", "7", "39", "49") for p in sgr_of_last(p2))
                       and "7" in sgr_of_last(p2) and last(p2).startswith(" PROD")),
              sgr_of_last(p2))
        tmux("send-keys", "-t", p2, "unset NO_COLOR", "Enter")
        check("unset NO_COLOR: colours and tint come back",
              wait_for(lambda: option(p2, "window-style") == "bg=colour52" and option(p2, "@sentinel_style") != "bold,reverse"),
              option(p2, "@sentinel_style"))

        tmux("select-pane", "-t", p2)
        check("status format reads the active pane", "PROD" in tmux("display-message", "-p", "#{@sentinel_label}"))

        # sentinel bar following a shell through the agent, by pane, by pid and
        # the most recently active one, each in a window of its own.
        pid2 = tmux("display-message", "-p", "-t", p2, "#{pane_pid}").strip()
        bars = {how: tmux("new-window", "-d", "-P", "-F", "#{pane_id}", *e, f"{BIN} bar {how}").strip()
                for how in (f"--pane {p2}", f"--session {pid2}", "--active")}
        for how, bar in bars.items():
            check(f"bar {how}: shows the followed shell's target",
                  wait_for(lambda: "PROD" in rows(bar)[0] and "prod-eu/payments" in rows(bar)[0]), rows(bar)[:2])
        tmux("send-keys", "-t", p1, "kubectl config use-context dev", "Enter")
        for how, bar in bars.items():
            check(f"bar {how}: repaints on the agent's push",
                  wait_for(lambda: "DEV" in rows(bar)[0] and "dev/default" in rows(bar)[0]), rows(bar)[:2])
        tmux("send-keys", "-t", p1, "kubectl config use-context prod-eu", "Enter")
        check("back to prod-eu", wait_for(lambda: last(p2).startswith(" PROD  kube prod-eu/payments")), rows(p2))
        for bar in bars.values():
            tmux("kill-pane", "-t", bar, check_rc=False)

        # One target, one name: the prompt, the reserved line, the tmux
        # options and `sentinel bar` all call a pg service by its name
        # (before, the prompt said "billing (bills@db1.example)").
        services = os.path.join(WORK, "pg_service.conf")
        with open(services, "w") as f:
            f.write("[billing]\nhost=db1.example\ndbname=bills\n")
        pg_env = e + ["-e", f"PGSERVICEFILE={services}", "-e", "PGSERVICE=billing"]
        p4 = tmux("new-window", "-d", "-P", "-F", "#{pane_id}", *pg_env, shell).strip()
        check("pg service: the reserved line names it 'billing'",
              wait_for(lambda: last(p4).startswith(" PROD  kube prod-eu/payments \u00b7 pg billing")), rows(p4))
        check("pg service: the prompt names it 'billing' too",
              wait_for(lambda: any(r.startswith("PROD prod-eu/payments billing $") for r in rows(p4))), rows(p4))
        check("pg service: @sentinel_text names it alike",
              option(p4, "@sentinel_text") == "kube prod-eu/payments \u00b7 pg billing", option(p4, "@sentinel_text"))
        bar = tmux("new-window", "-d", "-P", "-F", "#{pane_id}", *e, f"{BIN} bar --pane {p4}").strip()
        check("pg service: `sentinel bar --pane` draws the same line",
              wait_for(lambda: rows(bar)[0].startswith(" PROD  kube prod-eu/payments \u00b7 pg billing")), rows(bar)[:2])
        tmux("kill-pane", "-t", bar, check_rc=False)
        tmux("kill-pane", "-t", p4, check_rc=False)

        tmux("send-keys", "-t", p2, "vim.tiny -u NONE -N", "Enter")
        wait_for(lambda: any(r.startswith("~") for r in rows(p2)))
        tmux("send-keys", "-t", p2, ":q", "Enter")
        check("after vim the line is there", wait_for(lambda: last(p2).startswith(" PROD  kube prod-eu/payments") and
                                                     any(r.rstrip().endswith("$") for r in rows(p2))), rows(p2))
        tmux("send-keys", "-t", p2, "seq 1 60", "Enter")
        check("after vim the region is reserved again (output scrolls above the line)",
              wait_for(lambda: last(p2).startswith(" PROD  kube prod-eu/payments") and
                       rows(p2)[-2].rstrip().endswith("$") and rows(p2)[-3].strip() == "60"), rows(p2))

        tmux("resize-pane", "-t", p2, "-y", "10")
        tmux("send-keys", "-t", p2, "", "Enter")
        check("after a resize the next prompt puts the line on the new last row",
              wait_for(lambda: len(rows(p2)) == 10 and last(p2).startswith(" PROD")), rows(p2))
        check("exactly one line painted after the resize",
              sum(1 for r in rows(p2) if r.startswith(" PROD")) == 1, rows(p2))

        # A shell that exits inside a terminal that stays: the screen is given back.
        p3 = tmux("new-window", "-d", "-P", "-F", "#{pane_id}", *e, f"sh -c '{shell}; PS1=\"% \" exec sh -i'").strip()
        check("p3: line shown", wait_for(lambda: last(p3).startswith(" PROD")), rows(p3))
        tmux("send-keys", "-t", p3, "exit", "Enter")
        check("p3: line cleared when the shell exits", wait_for(lambda: "PROD" not in last(p3)), rows(p3))
        tmux("send-keys", "-t", p3, "seq 1 100", "Enter")
        check("p3: full scroll region back", wait_for(lambda: rows(p3)[-2].strip() == "100" and rows(p3)[-1].startswith("%")),
              rows(p3))
    finally:
        tmux.kill()
        HOME.close()  # stops the agent
    return summary()


if __name__ == "__main__":
    sys.exit(main())
