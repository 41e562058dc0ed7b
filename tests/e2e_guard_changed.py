#!/usr/bin/env python3
"""A target that changes while the guard's question is open is refused, not
asked about again (issue 8 item 4). In bash and zsh with the integration and
SENTINEL_WRAP=kubectl, on a 40x160 tmux pane with TERM=xterm-256color:
`kubectl delete pod web-1` on prod-eu asks; another pane runs the real
`kubectl config use-context kind-dev`; the person answers prod-eu. The guard
exits 77, says what changed from what to what, and the delete does not run
(before the fix it printed "Asking again.", found kind-dev needed no
question, and ran the delete there)."""

import os
import shutil
import sys

from testlib import Screen, check, require, summary, wait_for


def run(kind, kubectl):
    screen = Screen(f"guard-changed-{kind}")
    try:
        stub_dir = os.path.join(screen.work, "stub")
        os.makedirs(stub_dir)
        marker = os.path.join(screen.work, "ran")
        with open(os.path.join(stub_dir, "kubectl"), "w") as f:
            f.write(f'#!/bin/sh\nprintf "%s\\n" "$*" >> {marker}\n')
        os.chmod(os.path.join(stub_dir, "kubectl"), 0o755)
        with open(screen.kubeconfig) as f:
            text = f.read()
        with open(screen.kubeconfig, "w") as f:
            f.write(text.replace("current-context: kind-dev", "current-context: prod-eu"))
        env = {"PATH": f"{stub_dir}:{screen.env['PATH']}"}
        prompt = "PS1='> '" if kind == "bash" else "PROMPT='> '"
        asker = screen.shell(kind, before='SENTINEL_WRAP="kubectl"', after=prompt, env=env)
        other = screen.shell(kind, after=prompt, env=env)
        rows = lambda: "\n".join(screen.rows(asker))
        check(f"{kind}: prompt", wait_for(lambda: "PROD prod-eu/payments >" in rows(), timeout=15), rows())
        screen.type(asker, "kubectl delete pod web-1; echo exit=$?")
        check(f"{kind}: the guard asks about prod-eu", wait_for(lambda: 'Type the target name "prod-eu"' in rows(), timeout=15),
              rows())
        screen.type(other, f"{kubectl} config use-context kind-dev")
        with_file = lambda: "current-context: kind-dev" in open(screen.kubeconfig).read()
        check(f"{kind}: the other terminal switched to kind-dev", wait_for(with_file, timeout=15))
        screen.type(asker, "prod-eu")
        check(f"{kind}: refused with exit 77", wait_for(lambda: "exit=77" in rows(), timeout=15), rows())
        check(f"{kind}: says what changed, from what to what",
              'context "prod-eu" \u2192 "kind-dev"' in rows() and "tier production \u2192 local" in rows(), rows())
        check(f"{kind}: asked once, not again", rows().count("Type the target name") == 1, rows())
        check(f"{kind}: the delete did not run", not os.path.exists(marker),
              open(marker).read() if os.path.exists(marker) else "")
    finally:
        screen.close()


def main():
    require("tmux", "kubectl", "bash", "zsh")
    kubectl = shutil.which("kubectl")
    for kind in ("bash", "zsh"):
        run(kind, kubectl)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
