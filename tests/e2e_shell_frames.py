#!/usr/bin/env python3
"""Frames that cannot travel whole never calm a terminal (BAD_INPUTS.md rows 5
and 22): a 64 KiB context name, whose STATE used to overflow the relay's
frame and come back as "same" (DEV) while the terminal was on production; a
70 KB exported variable, whose REPORT the relay used to drop silently; a
100 KB context name, shown elided and classified on its full text; a
10,000-context kubeconfig through the agent (its prompt cost is measured by
bench/prompt_latency.py). Real bash and zsh on a pseudo-terminal, with their
own agent."""

import os
import subprocess
import sys
import time

from testlib import BIN, SOURCE, Sandbox, check, kubeconfig, require, summary


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def long_context(kind):
    box = Sandbox(contexts=("dev",), current="dev")
    try:
        sh = box.shell(kind)
        _, seg, _ = sh.run("true")
        check("%s: starts on dev (%r)" % (kind, seg), seg == "DEV dev/default")
        name = "prod-" + "a" * 65536
        big = os.path.join(box.dir, "big.yaml")
        write(big, kubeconfig(name, [name, "dev"]))
        for i in range(3):
            _, seg, _ = sh.run("export KUBECONFIG=%s" % big if i == 0 else "true")
            check("%s: 64 KiB production context, prompt %d: PROD, elided (%r)" % (kind, i + 1, (seg or "")[:60]), seg is not None and seg.startswith("PROD prod-aaa") and "\u2026" in seg and len(seg) < 400)
        check("%s: state ok, the agent answered" % kind, sh.value("SENTINEL_STATE") == "ok")
        check("%s: SENTINEL_TIER is production" % kind, sh.value("SENTINEL_TIER") == "production")
        raw, _, _ = sh.run("%s status --color=never --format=prompt | cut -c1-20" % BIN)
        check("%s: sentinel status agrees" % kind, b"PROD prod-aaa" in raw)
        _, seg, _ = sh.run("unset KUBECONFIG")
        check("%s: back to dev (%r)" % (kind, seg), seg == "DEV dev/default")
    finally:
        box.close()


def long_variable(kind):
    box = Sandbox(contexts=("dev",), current="dev")
    try:
        sh = box.shell(kind)
        sh.run("true")
        value = os.path.join(box.dir, "value")
        write(value, "a" * 70000)
        _, seg, _ = sh.run("export APP_ENV=\"$(cat %s)\"" % value)
        check("%s: 70 KB APP_ENV: unknown, naming the variable (%r)" % (kind, (seg or "")[:80]), seg is not None and seg.startswith("UNKNOWN") and "APP_ENV" in seg)
        check("%s: SENTINEL_TIER is unknown" % kind, sh.value("SENTINEL_TIER") == "unknown")
        _, seg, _ = sh.run("true")
        check("%s: ... at the next prompt too (%r)" % (kind, seg), seg is not None and seg.startswith("UNKNOWN"))
        # A wrapped tool is not let through on the agent's stale variables.
        _, seg, _ = sh.run("export APP_ENV=staging")
        check("%s: a short value is reported again (%r)" % (kind, seg), seg == "STAGING dev/default APP_ENV=staging")
        _, seg, _ = sh.run("unset APP_ENV")
        check("%s: unset: back to dev (%r)" % (kind, seg), seg == "DEV dev/default")
    finally:
        box.close()


def huge_context(kind):
    box = Sandbox(contexts=("dev",), current="dev")
    try:
        sh = box.shell(kind)
        sh.run("true")
        name = "x" * 100000 + "-prod"
        big = os.path.join(box.dir, "huge.yaml")
        write(big, kubeconfig(name, [name]))
        _, seg, _ = sh.run("export KUBECONFIG=%s" % big)
        check("%s: 100 KB name ending in -prod: PROD on the full name, shown elided (%r)" % (kind, (seg or "")[:60]), seg is not None and seg.startswith("PROD xxx") and seg.endswith("-prod/default") and len(seg) < 400)
    finally:
        box.close()


def many_contexts(kind):
    box = Sandbox(contexts=("dev",), current="dev")
    try:
        sh = box.shell(kind)
        sh.run("true")
        big = os.path.join(box.dir, "ten-thousand.yaml")
        subprocess.run([sys.executable, os.path.join(SOURCE, "bench", "gen_kubeconfig.py"), "10000", big, "ctx-9999"],
                       check=True)
        _, seg, _ = sh.run("export KUBECONFIG=%s" % big)
        end = time.monotonic() + 120
        while seg is not None and seg.startswith("[sentinel: stale]") and time.monotonic() < end:
            time.sleep(0.5)  # the first parse of 20 MB outlasts a prompt's wait: stale until it is done
            _, seg, _ = sh.run("true")
        check("%s: 10,000 contexts through the agent: the current one (%r)" % (kind, seg), seg is not None and "ctx-9999/" in seg and not seg.startswith("["))
        with open("/proc/%d/status" % box.agent_pid()) as f:
            rss = int([l.split()[1] for l in f if l.startswith("VmRSS:")][0])
        print("agent VmRSS with a 10,000-context kubeconfig: %d MB" % (rss // 1024))
        check("%s: the agent's memory stays bounded (%d MB)" % (kind, rss // 1024), rss < 512 * 1024)
    finally:
        box.close()


def main():
    require("bash", "zsh")
    for kind in ("bash", "zsh"):
        long_context(kind)
        long_variable(kind)
        huge_context(kind)
        many_contexts(kind)
    sys.exit(summary())


if __name__ == "__main__":
    main()
