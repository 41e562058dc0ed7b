#!/usr/bin/env python3
"""The shell never waits on a broken agent (BAD_INPUTS.md rows 21-22, 33): with
the agent stopped (SIGSTOP) or killed (SIGKILL, leaving a stale socket),
every prompt returns within 50 ms and shows a loud marker; a restarted agent
is picked up without a new shell, whether the relay starts it or someone else
does."""

import os
import signal
import subprocess
import sys
import time

from testlib import BIN, Sandbox, check, require, summary, wait_for

LIMIT_MS = 50.0


def settles(sh, want, timeout=5.0):
    """Prompts until the segment is `want` (a recovering agent answers the
    first prompts late, and they show stale); returns the last segment."""
    end = time.monotonic() + timeout
    while True:
        _, seg, _ = sh.run("true")
        if seg == want or time.monotonic() > end:
            return seg
        time.sleep(0.05)


def prompts(sh, n=5):
    out = []
    for _ in range(n):
        _, seg, ms = sh.run("true")
        out.append((seg, ms))
    return out


def stopped(kind):
    box = Sandbox()
    try:
        sh = box.shell(kind, SENTINEL_TIMEOUT_MS="10")
        _, seg, _ = sh.run("true")
        check("%s: healthy before (%r)" % (kind, seg), seg == "STAGING staging-eu/default")
        pid = box.agent_pid()
        os.kill(pid, signal.SIGSTOP)
        try:
            # Prompts right after the stop may be answered from the state
            # the agent pushed ahead (nothing it depends on changed); once
            # the agent has left a request unanswered for a second, the
            # relay no longer trusts it.
            res = prompts(sh, 1)
            time.sleep(1.1)
            res += prompts(sh, 4)
            worst = max(ms for _, ms in res)
            check("%s: SIGSTOP: every prompt within %d ms (worst %.1f ms)" % (kind, LIMIT_MS, worst), worst < LIMIT_MS)
            # A stale answer never shows a tier below unknown (BAD_INPUTS.md
            # row 33): the names are the last known, the label and colour
            # unknown's.
            stale = "[sentinel: stale] UNKNOWN staging-eu/default"
            check("%s: SIGSTOP: stale marker, unknown label, the last names (%r)" % (kind, [s for s, _ in res]),
                  res[0][0] in ("STAGING staging-eu/default", stale) and all(s == stale for s, _ in res[1:]))
            check("%s: SENTINEL_STATE=stale" % kind, sh.value("SENTINEL_STATE") == "stale")
        finally:
            os.kill(pid, signal.SIGCONT)
        seg = settles(sh, "STAGING staging-eu/default")
        check("%s: SIGCONT: back to normal (%r)" % (kind, seg), seg == "STAGING staging-eu/default")
    finally:
        box.close()


def killed(kind):
    box = Sandbox()
    try:
        sh = box.shell(kind, SENTINEL_TIMEOUT_MS="10")
        sh.run("true")
        pid = box.agent_pid()
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda: not os.path.exists("/proc/%d" % pid) or open("/proc/%d/stat" % pid).read().split()[2] == "Z", 3.0)
        sock = os.path.join(box.run_dir, "sentinel", "agent.sock")
        check("%s: SIGKILL leaves a stale socket" % kind, os.path.exists(sock))
        seg, ms = prompts(sh, 1)[0]
        check("%s: SIGKILL: prompt within %d ms (%.1f ms)" % (kind, LIMIT_MS, ms), ms < LIMIT_MS)
        check("%s: SIGKILL: agent down marker (%r)" % (kind, seg), seg is not None and seg.startswith("[sentinel: agent down]"))
        # The relay started a new agent, which replaced the stale socket.
        check("%s: a new agent was started" % kind, wait_for(lambda: box.agent_pid() not in (None, pid), 3.0))
        seg = settles(sh, "STAGING staging-eu/default")
        check("%s: the new agent is used by the same shell (%r)" % (kind, seg), seg == "STAGING staging-eu/default")
        res = prompts(sh, 3)
        check("%s: prompts fast again" % kind, max(ms for _, ms in res) < LIMIT_MS)
    finally:
        box.close()


def restarted_by_hand(kind):
    box = Sandbox()
    try:
        sh = box.shell(kind, SENTINEL_TIMEOUT_MS="10", SENTINEL_AUTOSTART="0")
        r = subprocess.run([BIN, "agent"], env=box.env())
        check("%s: agent started by hand" % kind, r.returncode == 0)
        sh.run("true")
        _, seg, _ = sh.run("true")
        check("%s: autostart off, agent running: ok (%r)" % (kind, seg), seg == "STAGING staging-eu/default")
        pid = box.agent_pid()
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)
        res = prompts(sh, 3)
        check("%s: stays down without autostart" % kind, all(s and s.startswith("[sentinel: agent down]") for s, _ in res))
        check("%s: down prompts within %d ms" % (kind, LIMIT_MS), max(ms for _, ms in res) < LIMIT_MS)
        subprocess.run([BIN, "agent"], env=box.env())
        seg = settles(sh, "STAGING staging-eu/default")
        check("%s: agent restarted by hand is picked up (%r)" % (kind, seg), seg == "STAGING staging-eu/default")
    finally:
        box.close()


def relay_killed(kind):
    box = Sandbox()
    try:
        sh = box.shell(kind, SENTINEL_TIMEOUT_MS="10")
        raw, _, _ = sh.run("ps -o pid=,args= --ppid $$")
        relay = [int(l.split()[0]) for l in raw.decode().splitlines() if "relay --shell" in l]
        check("%s: one relay" % kind, len(relay) == 1)
        os.kill(relay[0], signal.SIGKILL)
        time.sleep(0.05)
        seg, ms = prompts(sh, 1)[0]
        check("%s: relay killed: marker, %.1f ms" % (kind, ms), ms < LIMIT_MS and seg.startswith("[sentinel: agent down]"))
        time.sleep(2.1)  # the shell starts a relay again at most every 2 s
        seg = settles(sh, "STAGING staging-eu/default")
        check("%s: relay started again (%r)" % (kind, seg), seg == "STAGING staging-eu/default")
    finally:
        box.close()


def keys_at_prompt(kind):
    """Ctrl-C, Ctrl-Z and Ctrl-\\ typed at the prompt signal the foreground
    process group, which in bash holds the relay too: it must survive them."""
    box = Sandbox()
    try:
        sh = box.shell(kind)
        sh.run("true")
        def relays():
            raw, _, _ = sh.run("ps -o pid=,args= --ppid $$")
            return [l.split()[0] for l in raw.decode(errors="replace").splitlines() if "relay --shell" in l]
        before = relays()
        for key in (b"\x03", b"\x1a", b"\x1c"):
            sh.send(key)
            time.sleep(0.1)
        _, seg, _ = sh.run("true")
        check("%s: Ctrl-C, Ctrl-Z, Ctrl-\\ at the prompt: still served (%r)"
                % (kind, seg), seg == "STAGING staging-eu/default")
        check("%s: ... by the same relay (%r)" % (kind, before), len(before) == 1 and relays() == before)
    finally:
        box.close()


def unsafe_dir(kind):
    box = Sandbox()
    try:
        os.makedirs(os.path.join(box.run_dir, "sentinel"), mode=0o755)
        os.chmod(os.path.join(box.run_dir, "sentinel"), 0o755)
        sh = box.shell(kind, SENTINEL_TIMEOUT_MS="10")
        res = prompts(sh, 4)
        check("%s: unsafe runtime dir: down marker" % kind, all(s and s.startswith("[sentinel: agent down]") for s, _ in res))
        check("%s: unsafe runtime dir: prompts within %d ms" % (kind, LIMIT_MS), max(ms for _, ms in res) < LIMIT_MS)
        said = sh.buf.count(b"chmod 700")
        check("%s: the fix is named once, not at every prompt (%d)" % (kind, said), said == 1)
    finally:
        box.close()


def main():
    require("bash", "zsh")
    for kind in ("bash", "zsh"):
        unsafe_dir(kind)
        keys_at_prompt(kind)
        stopped(kind)
        killed(kind)
        restarted_by_hand(kind)
        relay_killed(kind)
    sys.exit(summary())


if __name__ == "__main__":
    main()
