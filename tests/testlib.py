"""Helpers shared by the end-to-end tests that drive the binary beside tmux
and kubectl: where the binary and the source tree are, `ok`/`FAIL` lines with
a summary, waiting for a condition, and a private tmux server
(`tmux -L NAME -f /dev/null`) read with capture-pane and show-options. Not a
test itself (ctest runs tests/e2e_*.py and tests/diff_*.py)."""

import os
import subprocess
import time

BIN = os.environ.get("SENTINEL_BIN", os.path.join(os.path.dirname(__file__), "..", "build", "sentinel"))
SRC = os.environ.get("SENTINEL_SOURCE", os.path.join(os.path.dirname(__file__), ".."))

_counts = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    """Prints `ok NAME` or `FAIL NAME: detail` and counts it."""
    if condition:
        _counts["passed"] += 1
        print(f"ok {name}", flush=True)
    else:
        _counts["failed"] += 1
        print(f"FAIL {name}: {detail}", flush=True)


def summary():
    """Prints the counts; the exit status: 1 when a check failed."""
    print(f"{_counts['passed']} passed, {_counts['failed']} failed")
    return 1 if _counts["failed"] else 0


def wait_for(fn, timeout=6.0):
    """fn()'s first true value within `timeout` seconds, else its last value."""
    end = time.time() + timeout
    while time.time() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.01)
    return fn()


class Tmux:
    """A private tmux server: `tmux(*args)` runs one command on it."""

    def __init__(self, socket):
        self.socket = socket

    def __call__(self, *args, check_rc=True):
        r = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True)
        if check_rc and r.returncode != 0:
            raise RuntimeError(f"tmux {args}: {r.stderr}")
        return r.stdout

    def rows(self, pane):
        """The pane's visible rows (capture-pane)."""
        return self("capture-pane", "-p", "-t", pane).split("\n")[:-1]

    def last(self, pane):
        """The pane's last visible row."""
        r = self.rows(pane)
        return r[-1] if r else ""

    def option(self, pane, name):
        """A pane option's value (show-options -p), "" when unset."""
        return self("show-options", "-p", "-q", "-v", "-t", pane, name).rstrip("\n")
