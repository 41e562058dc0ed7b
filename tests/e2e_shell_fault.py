#!/usr/bin/env python3
"""The shell never waits on a broken agent (BAD_INPUTS.md rows 21-22): with
the agent stopped (SIGSTOP) or killed (SIGKILL, leaving a stale socket),
every prompt returns within 50 ms and shows a loud marker; a restarted agent
is picked up without a new shell, whether the relay starts it or someone else
does."""

import os
import signal
import subprocess
import time

from e2e_shell_harness import BIN, Checks, Sandbox

LIMIT_MS = 50.0


def wait_for(pred, timeout=3.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.02)
    return False


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


def stopped(kind, c):
    box = Sandbox()
    try:
        sh = box.shell(kind, SENTINEL_TIMEOUT_MS="10")
        _, seg, _ = sh.run("true")
        c.check(seg == "STAGING staging-eu/default", "%s: healthy before (%r)" % (kind, seg))
        pid = box.agent_pid()
        os.kill(pid, signal.SIGSTOP)
        try:
            res = prompts(sh)
            worst = max(ms for _, ms in res)
            c.check(worst < LIMIT_MS, "%s: SIGSTOP: every prompt within %d ms (worst %.1f ms)" % (kind, LIMIT_MS, worst))
            c.check(all(s and s.startswith("[sentinel: stale] STAGING staging-eu/default") for s, _ in res),
                    "%s: SIGSTOP: stale marker with the last known value (%r)" % (kind, res[-1][0]))
            c.check(sh.value("SENTINEL_STATE") == "stale", "%s: SENTINEL_STATE=stale" % kind)
        finally:
            os.kill(pid, signal.SIGCONT)
        seg = settles(sh, "STAGING staging-eu/default")
        c.check(seg == "STAGING staging-eu/default", "%s: SIGCONT: back to normal (%r)" % (kind, seg))
    finally:
        box.close()


def killed(kind, c):
    box = Sandbox()
    try:
        sh = box.shell(kind, SENTINEL_TIMEOUT_MS="10")
        sh.run("true")
        pid = box.agent_pid()
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda: not os.path.exists("/proc/%d" % pid) or open("/proc/%d/stat" % pid).read().split()[2] == "Z")
        sock = os.path.join(box.run_dir, "sentinel", "agent.sock")
        c.check(os.path.exists(sock), "%s: SIGKILL leaves a stale socket" % kind)
        seg, ms = prompts(sh, 1)[0]
        c.check(ms < LIMIT_MS, "%s: SIGKILL: prompt within %d ms (%.1f ms)" % (kind, LIMIT_MS, ms))
        c.check(seg is not None and seg.startswith("[sentinel: agent down]"), "%s: SIGKILL: agent down marker (%r)" % (kind, seg))
        # The relay started a new agent, which replaced the stale socket.
        c.check(wait_for(lambda: box.agent_pid() not in (None, pid)), "%s: a new agent was started" % kind)
        seg = settles(sh, "STAGING staging-eu/default")
        c.check(seg == "STAGING staging-eu/default", "%s: the new agent is used by the same shell (%r)" % (kind, seg))
        res = prompts(sh, 3)
        c.check(max(ms for _, ms in res) < LIMIT_MS, "%s: prompts fast again" % kind)
    finally:
        box.close()


def restarted_by_hand(kind, c):
    box = Sandbox()
    try:
        sh = box.shell(kind, SENTINEL_TIMEOUT_MS="10", SENTINEL_AUTOSTART="0")
        r = subprocess.run([BIN, "agent"], env=box.env())
        c.check(r.returncode == 0, "%s: agent started by hand" % kind)
        sh.run("true")
        _, seg, _ = sh.run("true")
        c.check(seg == "STAGING staging-eu/default", "%s: autostart off, agent running: ok (%r)" % (kind, seg))
        pid = box.agent_pid()
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)
        res = prompts(sh, 3)
        c.check(all(s and s.startswith("[sentinel: agent down]") for s, _ in res), "%s: stays down without autostart" % kind)
        c.check(max(ms for _, ms in res) < LIMIT_MS, "%s: down prompts within %d ms" % (kind, LIMIT_MS))
        subprocess.run([BIN, "agent"], env=box.env())
        seg = settles(sh, "STAGING staging-eu/default")
        c.check(seg == "STAGING staging-eu/default", "%s: agent restarted by hand is picked up (%r)" % (kind, seg))
    finally:
        box.close()


def relay_killed(kind, c):
    box = Sandbox()
    try:
        sh = box.shell(kind, SENTINEL_TIMEOUT_MS="10")
        raw, _, _ = sh.run("ps -o pid=,args= --ppid $$")
        relay = [int(l.split()[0]) for l in raw.decode().splitlines() if "relay --shell" in l]
        c.check(len(relay) == 1, "%s: one relay" % kind)
        os.kill(relay[0], signal.SIGKILL)
        time.sleep(0.05)
        seg, ms = prompts(sh, 1)[0]
        c.check(ms < LIMIT_MS and seg.startswith("[sentinel: agent down]"), "%s: relay killed: marker, %.1f ms" % (kind, ms))
        time.sleep(2.1)  # the shell starts a relay again at most every 2 s
        seg = settles(sh, "STAGING staging-eu/default")
        c.check(seg == "STAGING staging-eu/default", "%s: relay started again (%r)" % (kind, seg))
    finally:
        box.close()


def keys_at_prompt(kind, c):
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
        c.check(seg == "STAGING staging-eu/default", "%s: Ctrl-C, Ctrl-Z, Ctrl-\\ at the prompt: still served (%r)"
                % (kind, seg))
        c.check(len(before) == 1 and relays() == before, "%s: ... by the same relay (%r)" % (kind, before))
    finally:
        box.close()


def unsafe_dir(kind, c):
    box = Sandbox()
    try:
        os.makedirs(os.path.join(box.run_dir, "sentinel"), mode=0o755)
        os.chmod(os.path.join(box.run_dir, "sentinel"), 0o755)
        sh = box.shell(kind, SENTINEL_TIMEOUT_MS="10")
        res = prompts(sh, 4)
        c.check(all(s and s.startswith("[sentinel: agent down]") for s, _ in res), "%s: unsafe runtime dir: down marker" % kind)
        c.check(max(ms for _, ms in res) < LIMIT_MS, "%s: unsafe runtime dir: prompts within %d ms" % (kind, LIMIT_MS))
        said = sh.log.count(b"chmod 700")
        c.check(said == 1, "%s: the fix is named once, not at every prompt (%d)" % (kind, said))
    finally:
        box.close()


def main():
    c = Checks()
    for kind in ("bash", "zsh"):
        unsafe_dir(kind, c)
        keys_at_prompt(kind, c)
        stopped(kind, c)
        killed(kind, c)
        restarted_by_hand(kind, c)
        relay_killed(kind, c)
    c.done()


if __name__ == "__main__":
    main()
