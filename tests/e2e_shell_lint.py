#!/usr/bin/env python3
"""The shell files are clean under shellcheck, `bash -n` and `zsh -n`, and
`sentinel init` prints them with the binary's absolute path filled in."""

import os
import subprocess

from e2e_shell_harness import BIN, SOURCE, Checks


def main():
    c = Checks()
    bash_file = os.path.join(SOURCE, "shell", "sentinel.bash")
    zsh_file = os.path.join(SOURCE, "shell", "sentinel.zsh")
    r = subprocess.run(["shellcheck", "-s", "bash", bash_file], capture_output=True, text=True)
    c.check(r.returncode == 0, "shellcheck shell/sentinel.bash\n" + r.stdout)
    r = subprocess.run(["bash", "-n", bash_file], capture_output=True, text=True)
    c.check(r.returncode == 0, "bash -n shell/sentinel.bash " + r.stderr)
    r = subprocess.run(["zsh", "-n", zsh_file], capture_output=True, text=True)
    c.check(r.returncode == 0, "zsh -n shell/sentinel.zsh " + r.stderr)
    for shell, path in (("bash", bash_file), ("zsh", zsh_file)):
        out = subprocess.run([BIN, "init", shell], capture_output=True, text=True)
        with open(path) as f:
            want = f.read().replace("'@SENTINEL_BIN@'", "'%s'" % os.path.realpath(BIN))
        c.check(out.returncode == 0 and out.stdout == want, "sentinel init %s prints the file with the path" % shell)
    r = subprocess.run([BIN, "init", "fish"], capture_output=True, text=True)
    c.check(r.returncode == 64, "sentinel init fish: usage error")
    printed = subprocess.run([BIN, "init", "bash"], capture_output=True, text=True).stdout
    r = subprocess.run(["shellcheck", "-s", "bash", "-"], input=printed, capture_output=True, text=True)
    c.check(r.returncode == 0, "shellcheck on the printed bash integration\n" + r.stdout)
    c.done()


if __name__ == "__main__":
    main()
