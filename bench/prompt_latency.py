#!/usr/bin/env python3
"""Prompt benchmark (not a test).

1. Added latency per prompt: a bare shell and a shell with the integration,
   both on pseudo-terminals with the same PS1, are driven alternately (Enter
   on an empty line, time until the prompt is back) in the same run; the
   added latency is the median of the integrated shell minus the median of
   the bare one. bash and zsh, with a 3-context kubeconfig and a generated
   5,000-context one (~9 MB with CA data).
2. The agent idle: RSS and context switches (wakeups) of the agent over
   IDLE_SECONDS with 100 registered sessions.

Usage: SENTINEL_BIN=build/sentinel python3 bench/prompt_latency.py [PROMPTS] [IDLE_SECONDS]
"""

import base64
import os
import socket
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from testlib import Sandbox, kubeconfig  # noqa: E402

PROMPTS = int(sys.argv[1]) if len(sys.argv) > 1 else 400
IDLE_SECONDS = int(sys.argv[2]) if len(sys.argv) > 2 else 60


def big_kubeconfig(path, n=5000):
    ca = base64.b64encode(os.urandom(1300)).decode()
    with open(path, "w") as f:
        f.write("apiVersion: v1\nkind: Config\ncurrent-context: staging-0001\npreferences: {}\nclusters:\n")
        for i in range(n):
            f.write("- name: cluster-%04d\n  cluster:\n    server: https://10.%d.%d.1:6443\n"
                    "    certificate-authority-data: %s\n" % (i, i // 250, i % 250, ca))
        f.write("contexts:\n")
        for i in range(n):
            f.write("- name: staging-%04d\n  context:\n    cluster: cluster-%04d\n    user: user-%04d\n"
                    "    namespace: ns-%d\n" % (i, i, i, i % 7))
        f.write("users:\n")
        for i in range(n):
            f.write("- name: user-%04d\n  user:\n    token: not-a-real-token-%04d\n" % (i, i))
    return os.path.getsize(path)


def empty_prompt_ms(sh):
    t = time.perf_counter()
    sh.send("\r")
    sh.read_until()
    return (time.perf_counter() - t) * 1000


def latency(kind, box, env):
    bare = box.shell(kind, init=False, **env)
    integ = box.shell(kind, **env)
    for _ in range(20):  # warm up: the first prompt makes the agent evaluate
        empty_prompt_ms(bare)
        empty_prompt_ms(integ)
    _, seg, _ = integ.run("true")
    a, b = [], []
    for i in range(PROMPTS):
        if i % 2:
            a.append(empty_prompt_ms(bare))
            b.append(empty_prompt_ms(integ))
        else:
            b.append(empty_prompt_ms(integ))
            a.append(empty_prompt_ms(bare))
    state = integ.value("SENTINEL_STATE")
    bare.close()
    integ.close()
    box.shells = [s for s in box.shells if s not in (bare, integ)]
    return statistics.median(a), statistics.median(b), seg, state


def proc_status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.strip()
    return out


def idle(box):
    """100 sessions registered over the protocol, then IDLE_SECONDS idle."""
    sh = box.shell("bash")  # starts the agent the usual way
    sh.run("true")
    pid = box.agent_pid()
    sock_path = os.path.join(box.run_dir, "sentinel", "agent.sock")
    clients = []
    for n in range(100):
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock_path)
        s.sendall(("HELLO\t1\tbench\nREGISTER\t%d\tbash\t/dev/pts/%d\t\t\t/\n"
                   "REPORT\t/\tHOME=%s\nPROMPT\t1\t\n" % (100000 + n, n, box.home)).encode())
        clients.append(s)
    for s in clients:
        s.settimeout(5)
        data = b""
        while data.count(b"\n") < 3:
            data += s.recv(65536)
    time.sleep(1)
    before = proc_status(pid)
    time.sleep(IDLE_SECONDS)
    after = proc_status(pid)
    with open("/proc/%d/smaps_rollup" % pid) as f:
        after["Pss"] = [l.split(":")[1].strip() for l in f if l.startswith("Pss:")][0]
    vol = int(after["voluntary_ctxt_switches"]) - int(before["voluntary_ctxt_switches"])
    invol = int(after["nonvoluntary_ctxt_switches"]) - int(before["nonvoluntary_ctxt_switches"])
    for s in clients:
        s.close()
    return after, vol, invol


def main():
    print("prompts per shell and configuration: %d" % PROMPTS)
    rows = []
    for contexts in (3, 5000):
        box = Sandbox()
        try:
            env = {"SENTINEL_TIMEOUT_MS": "10"}
            if contexts == 5000:
                big = os.path.join(box.dir, "big.yaml")
                size = big_kubeconfig(big)
                env["KUBECONFIG"] = big
                print("generated %s: %.1f MB, 5000 contexts" % (big, size / 1e6))
            for kind in ("bash", "zsh"):
                bare, integ, seg, state = latency(kind, box, env)
                rss = proc_status(box.agent_pid())["VmRSS"]
                rows.append((kind, contexts, bare, integ, integ - bare, seg, state))
                print("%-4s %4d contexts: bare %.3f ms, with sentinel %.3f ms, added %+.3f ms  [%s] state=%s"
                      " (agent VmRSS %s)" % (kind, contexts, bare, integ, integ - bare, seg, state, rss), flush=True)
        finally:
            box.close()
    box = Sandbox()
    try:
        status, vol, invol = idle(box)
        print("agent with 100 sessions, %d s idle: VmRSS %s (RssAnon %s, RssFile %s), Pss %s, "
              "voluntary context switches %d, involuntary %d" % (IDLE_SECONDS, status["VmRSS"], status["RssAnon"],
                                                                status["RssFile"], status["Pss"], vol, invol))
    finally:
        box.close()


if __name__ == "__main__":
    main()
