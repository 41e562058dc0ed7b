#!/usr/bin/env python3
"""End-to-end: a shell started before an upgrade. The shell integration of
protocol version 1 (tests/fixtures/shell_v1/, the files as they were before
versions) runs against the current binary, as a shell whose relay restarts
after the binary was replaced: its prompt shows "[sentinel: restart your
shell]" and its variables hold no misread field. A current shell whose relay
speaks another version shows the same mark and stops starting relays."""

import os
import sys
import time

from testlib import BIN, SOURCE, Sandbox, check, require, summary

MARK_TEXT = "[sentinel: restart your shell]"


def integration(box, kind, path, protocol=None):
    """The file at `path` with this binary's path filled in (and another
    protocol version when given), written into the sandbox."""
    with open(path) as f:
        text = f.read().replace("'@SENTINEL_BIN@'", "'%s'" % os.path.realpath(BIN))
    if protocol is not None:
        text = text.replace("_sentinel_protocol=3", "_sentinel_protocol=%d" % protocol)
    out = os.path.join(box.dir, "integration.%s.%d" % (kind, len(box.shells)))
    with open(out, "w") as f:
        f.write(text)
    return out


def relays(sh):
    raw, _, _ = sh.run("ps -o args= --ppid $$")
    return [l for l in raw.decode(errors="replace").splitlines() if "sentinel" in l and "--shell" in l]


def old_shell(kind):
    box = Sandbox()
    try:
        old = integration(box, kind, os.path.join(SOURCE, "tests", "fixtures", "shell_v1", "sentinel." + kind))
        sh = box.shell(kind, init=False, before="source %s\nSENTINEL_WRAP=kubectl" % old)
        _, seg, _ = sh.run("true")
        check("%s v1: the prompt says to restart the shell (%r)" % (kind, seg), seg == MARK_TEXT)
        _, seg, _ = sh.run("export KUBECONFIG=%s" % box.kubeconfig)
        check("%s v1: and keeps saying it (%r)" % (kind, seg), seg == MARK_TEXT)
        check("%s v1: SENTINEL_TIER is unknown" % kind, sh.value("SENTINEL_TIER") == "unknown")
        for name in ("SENTINEL_KUBE_CONTEXT", "SENTINEL_PG", "SENTINEL_ENV", "SENTINEL_CHANGED"):
            check("%s v1: %s holds no misread field" % (kind, name), sh.value(name) == "")
        raw, _, _ = sh.run("_sentinel_ask_guard kubectl get pods; echo \"ask=$?\"")
        check("%s v1: a wrapped tool goes through sentinel guard" % kind, b"ask=1" in raw)
        check("%s v1: one relay, started as `sentinel client` (%r)" % (kind, relays(sh)), len(relays(sh)) == 1 and " client --shell" in relays(sh)[0])
        check("%s v1: the relay started no agent for a shell it cannot serve" % kind, box.agent_pid() is None)
    finally:
        box.close()


def other_version(kind):
    box = Sandbox()
    try:
        newer = integration(box, kind, os.path.join(SOURCE, "shell", "sentinel." + kind), protocol=4)
        sh = box.shell(kind, init=False, before="source %s" % newer)
        _, seg, _ = sh.run("true")
        check("%s: a relay of another version: restart mark (%r)" % (kind, seg), seg == MARK_TEXT)
        check("%s: SENTINEL_STATE=restart" % kind, sh.value("SENTINEL_STATE") == "restart")
        time.sleep(2.2)  # past the relay's restart interval
        _, seg, _ = sh.run("true")
        check("%s: no relay is started again (%r)" % (kind, relays(sh)), seg == MARK_TEXT and not relays(sh))
    finally:
        box.close()


def main():
    require("bash", "zsh")
    for kind in ("bash", "zsh"):
        old_shell(kind)
        other_version(kind)
    sys.exit(summary())


if __name__ == "__main__":
    main()
