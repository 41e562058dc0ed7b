#!/usr/bin/env python3
"""The shell files are clean under shellcheck, `bash -n`, `zsh -n` and
`fish -n`, and `sentinel init` prints them with the binary's absolute path
and version filled in."""

import os
import subprocess
import sys

from testlib import BIN, SOURCE, check, require, summary


def main():
    require("shellcheck", "zsh", "fish")
    bash_file = os.path.join(SOURCE, "shell", "sentinel.bash")
    zsh_file = os.path.join(SOURCE, "shell", "sentinel.zsh")
    r = subprocess.run(["shellcheck", "-s", "bash", bash_file], capture_output=True, text=True)
    check("shellcheck shell/sentinel.bash\n" + r.stdout, r.returncode == 0)
    r = subprocess.run(["bash", "-n", bash_file], capture_output=True, text=True)
    check("bash -n shell/sentinel.bash " + r.stderr, r.returncode == 0)
    r = subprocess.run(["zsh", "-n", zsh_file], capture_output=True, text=True)
    check("zsh -n shell/sentinel.zsh " + r.stderr, r.returncode == 0)
    fish_file = os.path.join(SOURCE, "shell", "sentinel.fish")
    r = subprocess.run(["fish", "-n", fish_file], capture_output=True, text=True)
    check("fish -n shell/sentinel.fish " + r.stderr, r.returncode == 0)
    version = subprocess.run([BIN, "--version"], capture_output=True, text=True).stdout.split("\n")[0].split()[-1]
    for shell, path in (("bash", bash_file), ("zsh", zsh_file), ("fish", fish_file)):
        out = subprocess.run([BIN, "init", shell], capture_output=True, text=True)
        with open(path) as f:
            want = f.read().replace("'@SENTINEL_BIN@'", "'%s'" % os.path.realpath(BIN))
            want = want.replace("@SENTINEL_VERSION@", version)
        check("sentinel init %s prints the file with the path" % shell, out.returncode == 0 and out.stdout == want)
    printed = subprocess.run([BIN, "init", "fish"], capture_output=True, text=True).stdout
    r = subprocess.run(["fish", "-n"], input=printed, capture_output=True, text=True)
    check("fish -n on the printed fish integration " + r.stderr, r.returncode == 0)
    r = subprocess.run([BIN, "init", "tcsh"], capture_output=True, text=True)
    check("sentinel init tcsh: usage error", r.returncode == 64)
    printed = subprocess.run([BIN, "init", "bash"], capture_output=True, text=True).stdout
    r = subprocess.run(["shellcheck", "-s", "bash", "-"], input=printed, capture_output=True, text=True)
    check("shellcheck on the printed bash integration\n" + r.stdout, r.returncode == 0)
    sys.exit(summary())


if __name__ == "__main__":
    main()
