#!/usr/bin/env python3
"""A change made elsewhere shows at this shell's next prompt, marked: the real
`kubectl config use-context` run in a second shell on the shared kubeconfig,
an editor-style rename, and a kubeconfig that did not exist yet."""

import os
import sys
import time

from testlib import Sandbox, check, kubeconfig, require, summary


def next_segment(shell, before):
    """The first segment that differs from `before`, prompting again until the
    agent has seen the change (the prompt itself never waits for inotify), or
    the last one after 5 s. Any prompt in between that already showed the
    change would have been returned, so the mark is checked at the first."""
    deadline = time.monotonic() + 5
    while True:
        time.sleep(0.05)
        _, seg, _ = shell.run("true")
        if seg != before or time.monotonic() > deadline:
            return seg


def use_context(kind):
    box = Sandbox()
    try:
        a = box.shell(kind)
        b = box.shell(kind)
        _, seg, _ = a.run("true")
        check("%s: shell A starts on staging (%r)" % (kind, seg), seg == "STAGING staging-eu/default")
        raw, _, _ = b.run("kubectl config use-context prod-eu")
        check("%s: kubectl config use-context ran in shell B" % kind, b"Switched to context" in raw)
        seg = next_segment(a, seg)
        check("%s: A's next prompt shows prod, changed elsewhere (%r)" % (kind, seg), seg == "PROD prod-eu/default (changed from STAGING staging-eu/default)")
        check("%s: SENTINEL_CHANGED" % kind, a.value("SENTINEL_CHANGED") == "STAGING staging-eu/default")
        _, seg, _ = a.run("true")
        check("%s: the mark lasts one prompt (%r)" % (kind, seg), seg == "PROD prod-eu/default")

        # An editor writes a new file and renames it over the old one.
        tmp = box.kubeconfig + ".swp"
        with open(tmp, "w") as f:
            f.write(kubeconfig("dev", ["dev", "prod-eu"]))
        os.rename(tmp, box.kubeconfig)
        seg = next_segment(a, seg)
        check("%s: rename over the file (%r)" % (kind, seg), seg == "DEV dev/default (changed from PROD prod-eu/default)")

        # A kubeconfig in a directory that does not exist yet.
        later = os.path.join(box.dir, "later", "sub", "config")
        _, seg, _ = a.run("export KUBECONFIG=%s" % later)
        check("%s: no kubeconfig yet: empty segment (%r)" % (kind, seg), seg == "")
        os.makedirs(os.path.dirname(later))
        with open(later, "w") as f:
            f.write(kubeconfig("prod-us", ["prod-us"]))
        seg = next_segment(a, seg)
        check("%s: file created later is seen (%r)" % (kind, seg), seg is not None and seg.startswith("PROD prod-us/default"))

        # A relative KUBECONFIG is the shell's: kubectl opens it from the
        # shell's directory, and so must the agent.
        _, seg, _ = a.run("cd %s && export KUBECONFIG=later/sub/config" % box.dir)
        check("%s: relative KUBECONFIG from the shell's directory (%r)" % (kind, seg), seg == "PROD prod-us/default")
        _, seg, _ = a.run("cd /")
        check("%s: the same relative KUBECONFIG elsewhere finds nothing (%r)" % (kind, seg), seg == "")
    finally:
        box.close()


def main():
    require("bash", "zsh", "kubectl")
    for kind in ("bash", "zsh"):
        use_context(kind)
    sys.exit(summary())


if __name__ == "__main__":
    main()
