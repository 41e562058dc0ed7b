#!/usr/bin/env python3
"""End-to-end: real bash and zsh with the integration show the right tier,
`export KUBECONFIG=...` changes it at the next prompt, hooks keep `$?`,
coexist with existing hooks, install once when sourced twice, define the
guard functions, and no secret leaves the shell.

Each Sandbox (testlib.py) has its own HOME and XDG_RUNTIME_DIR, hence its
own agent, which it stops at the end."""

import os
import sys

from testlib import BIN, SGR, Sandbox, check, require, summary


def basic(kind):
    box = Sandbox()
    try:
        sh = box.shell(kind)
        _, seg, _ = sh.run("true")
        check("%s: first prompt shows the tier (%r)" % (kind, seg), seg == "STAGING staging-eu/default")
        check("%s: SENTINEL_TIER" % kind, sh.value("SENTINEL_TIER") == "staging")
        check("%s: SENTINEL_KUBE_CONTEXT" % kind, sh.value("SENTINEL_KUBE_CONTEXT") == "staging-eu")
        other = os.path.join(box.dir, "other.yaml")
        box.write_kubeconfig("prod-eu", ["prod-eu"], other)
        _, seg, _ = sh.run("export KUBECONFIG=%s" % other)
        check("%s: export KUBECONFIG changes the next prompt (%r)" % (kind, seg), seg == "PROD prod-eu/default")
        _, seg, _ = sh.run("unset KUBECONFIG")
        check("%s: unset KUBECONFIG goes back (%r)" % (kind, seg), seg == "STAGING staging-eu/default")
        _, seg, _ = sh.run("KUBECONFIG=%s" % other)
        check("%s: a variable that is not exported does not count (%r)" % (kind, seg), seg == "STAGING staging-eu/default")
        _, seg, _ = sh.run("unset KUBECONFIG; export APP_ENV=production")
        check("%s: configured env variable (%r)" % (kind, seg), seg == "PROD staging-eu/default APP_ENV=production")
        raw, _, _ = sh.run("false; echo \"rc=$?\"")
        check("%s: $? is the command's" % kind, b"rc=1" in raw)
        raw, _, _ = sh.run("(exit 3)")
        raw, _, _ = sh.run("echo \"rc=$?\"")
        check("%s: $? survives the prompt hook" % kind, b"rc=3" in raw)
        check("%s: state ok" % kind, sh.value("SENTINEL_STATE") == "ok")
        # No secret leaves the shell: PGPASSWORD is never sent, passwords in
        # URLs and conninfo strings are replaced before the REPORT is written.
        sh.run("export PGPASSWORD=CANARY1 DATABASE_URL='postgres://u:CAN@RY2@db.example/app' "
               "APP_ENV='host=h password=CANARY3 dbname=x'")
        raw, _, _ = sh.run("_sentinel_report; printf '<R>%s</R>\\n' \"$_sentinel_req\"")
        text = raw.decode(errors="replace")
        report = text[text.rfind("<R>"):]
        check("%s: no secret in the REPORT (%r)" % (kind, report), "CANARY" not in report and "CAN@RY" not in report)
        check("%s: passwords replaced by *** (%r)" % (kind, report), "DATABASE_URL=postgres://u:***@db.example/app" in report and "password=*** dbname=x" in report)
    finally:
        box.close()


def hooks(kind):
    box = Sandbox()
    try:
        if kind == "bash":
            before = "PROMPT_COMMAND='mine=$((mine+1))'\nSENTINEL_WRAP='psql kubectl'"
            after = 'eval "$(%s init bash)"' % BIN  # sourced twice
        else:
            before = "mine=0; precmd() { mine=$((mine+1)); }\nSENTINEL_WRAP='psql kubectl'"
            after = 'eval "$(%s init zsh)"' % BIN
        sh = box.shell(kind, before=before, after=after)
        sh.run("true")
        n1 = sh.value("mine")
        sh.run("true")
        n2 = sh.value("mine")
        check("%s: the existing prompt hook still runs (%s, %s)" % (kind, n1, n2), n1 and n2 and int(n2) > int(n1))
        if kind == "bash":
            pc = sh.value("PROMPT_COMMAND")
            check("bash: hook installed once when sourced twice (%r)" % pc, pc is not None and pc.count("_sentinel_precmd") == 1)
        else:
            pf = sh.value("precmd_functions")
            check("zsh: hook installed once when sourced twice (%r)" % pf, pf is not None and pf.split().count("_sentinel_precmd") == 1)
        raw, _, _ = sh.run("ps -o pid=,args= --ppid $$")
        relays = [l for l in raw.decode(errors="replace").splitlines() if "relay --shell" in l]
        check("%s: one relay per shell after two evals (%d)" % (kind, len(relays)), len(relays) == 1)
        show = "type" if kind == "bash" else "functions"
        raw, _, _ = sh.run(show + " psql kubectl helm sentinel_confirm 2>&1 | head -20")
        text = raw.decode(errors="replace")
        check("%s: SENTINEL_WRAP defines psql and kubectl wrappers" % kind, "_sentinel_guarded psql" in text and "_sentinel_guarded kubectl" in text)
        check("%s: wrappers call the binary's absolute path" % kind, sh.value("_sentinel_bin") == BIN)
        check("%s: helm not wrapped when not listed" % kind, "helm is a" not in text or "function" not in text.split("helm is")[1][:30])
        check("%s: sentinel_confirm defined" % kind, "confirm --action" in text)
    finally:
        box.close()


def auto_prompt(kind):
    box = Sandbox()
    try:
        rc = "PS1='@P@ '" if kind == "bash" else "PROMPT='@P@ '"
        if kind == "bash":
            sh = box.bash(after=rc, SENTINEL_AUTO_PROMPT="1")
        else:
            sh = box.zsh(after=rc, SENTINEL_AUTO_PROMPT="1")
        raw, _, _ = sh.run("true")
        clean = SGR.sub(b"", raw).decode(errors="replace")
        check("%s: segment prepended to the prompt (%r)" % (kind, clean[-60:]), clean.endswith("STAGING staging-eu/default "))
    finally:
        box.close()
    # A theme that rebuilds the prompt at every prompt, as starship does.
    box = Sandbox()
    try:
        if kind == "bash":
            sh = box.bash(before="PROMPT_COMMAND='PS1=\"@P@ \"'", SENTINEL_AUTO_PROMPT="1")
        else:
            sh = box.zsh(after="precmd() { PROMPT='@P@ '; }", SENTINEL_AUTO_PROMPT="1")
        sh.run("true")
        raw, _, _ = sh.run("true")
        clean = SGR.sub(b"", raw).decode(errors="replace")
        check("%s: segment kept in front of a prompt rebuilt by another hook (%r)" % (kind, clean[-60:]), clean.endswith("STAGING staging-eu/default "))
    finally:
        box.close()


def main():
    require("bash", "zsh")
    for kind in ("bash", "zsh"):
        basic(kind)
        hooks(kind)
        auto_prompt(kind)
    sys.exit(summary())


if __name__ == "__main__":
    main()
