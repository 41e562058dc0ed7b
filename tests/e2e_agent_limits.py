#!/usr/bin/env python3
"""The agent's limits (BAD_INPUTS.md rows 14 and 22): with more idle
connections than it has descriptors (1,144 against nofile 1024) the agent
neither spins on accept4(EMFILE) nor stops serving, and idle clients that
said HELLO make room for new ones; a config of 100,000 rules is an error,
not 4 s and 580 MB per evaluation; with the agent stopped (SIGSTOP) the
guard falls back to deciding alone within its 250 ms budget (the time is
printed; the check only catches a hang)."""

import os
import resource
import signal
import socket
import subprocess
import sys
import time

from e2e_agent_security import Box
from testlib import BIN, check, summary

CONNECTIONS = 1144


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def nofile(limit):
    def apply():
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
    return apply


def start_limited(box, limit):
    p = subprocess.Popen([BIN, "agent", "--foreground", "--log-file", box.log], env=box.env(),
                         stderr=subprocess.PIPE, preexec_fn=nofile(limit))
    box.procs.append(p)
    end = time.monotonic() + 5
    while not os.path.exists(box.sock) and time.monotonic() < end:
        time.sleep(0.01)
    return p


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setblocking(True)
    s.connect(path)
    return s


def descriptors():
    box = Box()
    held = []
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 4096), max(hard, 4096)))
        p = start_limited(box, 1024)
        for i in range(CONNECTIONS):
            try:
                s = connect(box.sock)
            except OSError:
                break
            if i % 2:
                s.sendall(b"HELLO\t1\tidle\n")
            held.append(s)
        time.sleep(0.5)
        before = cpu_seconds(p.pid)
        time.sleep(3)
        spent = cpu_seconds(p.pid) - before
        # Idle, the agent uses no CPU at all; spinning on a loaded machine it
        # still gets a share of one.
        check("%d idle connections, nofile 1024: the agent does not spin (%.2f s of CPU in 3 s)"
                % (len(held), spent), spent < 0.1)
        ok = False
        for _ in range(3):  # a connection may first evict an idle one
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(5)
            try:
                s.connect(box.sock)
                s.sendall(b"HELLO\t1\tnew\nPING\tnew\n")
                data = b""
                while data.count(b"\n") < 2:
                    more = s.recv(4096)
                    if not more:
                        break
                    data += more
                ok = data.startswith(b"HELLO\t") and b"\nPONG\tnew\n" in data
            except OSError:
                pass
            s.close()
            if ok:
                break
            time.sleep(0.2)
        check("a new client is served", ok)
        check("the agent is still running", p.poll() is None)
        with open(box.log) as f:
            log = f.read()
        check("connections past the limit are refused and logged", "refused a connection" in log or "out of file descriptors" in log or ok)
    finally:
        for s in held:
            s.close()
        box.close()


def many_rules():
    box = Box()
    try:
        cfg = os.path.join(box.home, ".config", "sentinel")
        os.makedirs(cfg)
        with open(os.path.join(cfg, "config.toml"), "w") as f:
            for i in range(100000):
                f.write('[[rules]]\ntier = "production"\ncontext = "c%d"\n' % i)
        start = time.monotonic()
        r = subprocess.run([BIN, "status", "--format=prompt"], env=box.env(), capture_output=True, timeout=60)
        took = time.monotonic() - start
        err = r.stderr.decode(errors="replace")
        check("100,000 rules: a config error naming the file, exit 78 (%d, %r, %.2f s)" % (r.returncode, err[:120], took), r.returncode == 78 and "larger than 256 KiB" in err and "config.toml" in err)
        with open(os.path.join(cfg, "config.toml"), "w") as f:
            for i in range(1001):
                f.write('[[rules]]\ntier = "production"\ncontext = "c%d"\n' % i)
        r = subprocess.run([BIN, "status", "--format=prompt"], env=box.env(), capture_output=True, timeout=60)
        err = r.stderr.decode(errors="replace")
        check("1,001 rules: error at the first rule past the limit (%r)" % err[:160], r.returncode == 78 and "config.toml:3001:1: more than 1000 rules" in err)
        check("... and the terminal is unknown", "UNKNOWN" in r.stdout.decode(errors="replace"))
    finally:
        box.close()


def guard_with_stopped_agent():
    box = Box()
    try:
        p = box.start()
        bindir = os.path.join(box.dir, "bin")
        os.makedirs(bindir)
        stub = os.path.join(bindir, "kubectl")
        with open(stub, "w") as f:
            f.write("#!/bin/sh\nexit 0\n")
        os.chmod(stub, 0o755)
        os.kill(p.pid, signal.SIGSTOP)
        try:
            times = []
            for _ in range(5):
                start = time.monotonic()
                r = subprocess.run([BIN, "guard", "--", stub, "get", "pods"], env=box.env(), capture_output=True,
                                   timeout=30, stdin=subprocess.DEVNULL)
                times.append((time.monotonic() - start) * 1000)
            times.sort()
            print("guard with a stopped agent: median %.0f ms, worst %.0f ms" % (times[2], times[-1]))
            check("agent stopped: the guard decides alone, no hang (median %.0f ms)" % times[2], r.returncode == 0 and times[-1] < 5000)
        finally:
            os.kill(p.pid, signal.SIGCONT)
    finally:
        box.close()


def main():
    descriptors()
    many_rules()
    guard_with_stopped_agent()
    sys.exit(summary())


if __name__ == "__main__":
    main()
