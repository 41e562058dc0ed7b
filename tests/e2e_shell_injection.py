#!/usr/bin/env python3
"""Names are data (BAD_INPUTS.md rows 1-2): contexts named like command
substitutions or zsh prompt escapes print as text in bash (promptvars on)
and zsh (PROMPT_SUBST on); nothing runs and no colour changes."""

import os
import re
import sys

from testlib import Sandbox, check, require, summary

SGR_ONLY = re.compile(rb"\x1b\[[0-9;]*m")


def raw_segment(raw):
    """Bytes between << and >> of the prompt, colour sequences kept."""
    at = raw.rfind(b"<<")
    seg = raw[at + 2:]
    return seg[:seg.rfind(b">>")]


def names(box):
    canary = os.path.join(box.dir, "pwn")
    return canary, [
        "$(touch %s)" % canary,
        "`touch %s`" % canary,
        "${IFS}x$((1+1))",
        "%F{red}x",
        "%(?.yes.no)",
        "%{x%}",
        "trail%",
        "\\w\\u$HOME",
    ]


def run(kind):
    box = Sandbox()
    try:
        canary, contexts = names(box)
        sh = box.shell(kind)
        for name in contexts:
            box.write_kubeconfig(name, contexts)
            sh.run("true")
            raw, seg, _ = sh.run("true")
            shown = name.replace("\\", "\\\\")  # sanitize() doubles a backslash
            check("%s: %r shows as text (%r)" % (kind, name, seg), seg == "UNKNOWN %s/default" % shown)
            seg_bytes = raw_segment(raw)
            colours = SGR_ONLY.findall(seg_bytes)
            check("%s: %r changes no colour (%r)" % (kind, name, colours), all(x in (b"\x1b[1;35m", b"\x1b[0m", b"\x1b[35m") for x in colours))
            visible = SGR_ONLY.sub(b"", seg_bytes).replace(b"\x01", b"").replace(b"\x02", b"")
            check("%s: %r exact bytes (%r)" % (kind, name, visible), visible == ("UNKNOWN %s/default" % shown).encode())
        check("%s: nothing ran (canary absent)" % kind, not os.path.exists(canary))
    finally:
        box.close()


def main():
    require("bash", "zsh")
    for kind in ("bash", "zsh"):
        run(kind)
    sys.exit(summary())


if __name__ == "__main__":
    main()
