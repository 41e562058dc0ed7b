#!/usr/bin/env python3
"""fish prompt benchmark (not a test).

fish cannot keep a descriptor open between commands, so `sentinel init fish`
runs one short process per prompt (`sentinel relay --prompt`) and one per
command line (`--busy`). Three fish shells on pseudo-terminals of 40x160,
driven alternately in the same run, each answering N times:
  bare      fish_prompt prints a marker, nothing else
  process   fish_prompt runs one small process (`command true`) first: what
            any prompt that asks an external program costs
  sentinel  `sentinel init fish | source`, fish_prompt prints the segment
Measures per shell: Enter on an empty line until the prompt is back (the
prompt alone), and `true` + Enter (a command line: preexec, the command and
the prompt), as medians; sentinel's added latency is its median minus bare's.
Wall times on a loaded machine are noisy, so the CPU time each shell and its
children used per prompt is given too (/proc/PID/stat), and the per-prompt
process alone (`sentinel relay --prompt` against the running relay) is
timed against spawning /bin/true, alternately.
starship's fish prompt is the comparison the issue names; it is in neither
Debian 12 nor npm, so the `process` shell stands in for "a prompt that runs
one program".

Usage: SENTINEL_BIN=build/sentinel python3 bench/fish_prompt_bench.py [N]
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from fish_harness import PROTOCOL, FishSandbox  # noqa: E402
from testlib import BIN  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 300


def timed(sh, text):
    """Enter after `text`, until the next prompt, ms. fish repaints the line
    being run (prompt included) before it runs it: the new prompt is the
    first one after the line feed."""
    sh.send(text)
    time.sleep(0.005)
    sh.drain()
    t = time.perf_counter()
    sh.send("\r")
    sh.read_until(b"\n")
    sh.read_until()
    return (time.perf_counter() - t) * 1000


def value(sh, name):
    """A fish variable's value, read past fish's repaint of the line."""
    sh.send("printf '<V>%%s</V>\\n' \"$%s\"" % name)
    time.sleep(0.05)
    sh.drain()
    sh.send("\r")
    sh.read_until(b"\n")
    found = re.findall(r"<V>(.*?)</V>", sh.read_until().decode(errors="replace"))
    return found[-1] if found else None


def cpu_ms(pid):
    """CPU time of `pid` and its reaped children, ms (/proc/PID/stat fields 14-17)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) * 1000.0 / os.sysconf("SC_CLK_TCK")


def spawn_ms(argv, env):
    t = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000


def main():
    if shutil.which("fish") is None:
        print("fish not installed")
        sys.exit(1)
    box = FishSandbox()
    try:
        shells = {
            "bare": box.fish_pty(init=False),
            "process": box.fish_pty(init=False, after="function fish_prompt; command true; printf '@P@ '; end"),
            "sentinel": box.fish_pty(SENTINEL_TIMEOUT_MS="10"),
        }
        for _ in range(20):  # warm up: the agent evaluates once, caches fill
            for sh in shells.values():
                timed(sh, "")
        results = {name: {"prompt": [], "command": []} for name in shells}
        cpu0 = {name: cpu_ms(sh.pid) for name, sh in shells.items()}
        order = list(shells.items())
        for i in range(N):
            for name, sh in (order if i % 2 else list(reversed(order))):
                results[name]["prompt"].append(timed(sh, ""))
                results[name]["command"].append(timed(sh, "true"))
        cpu = {name: (cpu_ms(sh.pid) - cpu0[name]) / (2 * N) for name, sh in shells.items()}
        env = box.fish_env(box.config(), SENTINEL_TIMEOUT_MS="10")
        asker = [BIN, "relay", "--shell=fish", "--protocol=%d" % PROTOCOL, "--pid=%d" % shells["sentinel"].pid, "--gen=", "--timeout=10"]
        alone = {"sentinel relay --prompt": [], "/bin/true": []}
        for i in range(N):
            alone["sentinel relay --prompt"].append(spawn_ms(asker + ["--prompt=%d" % (100000 + i)], env))
            alone["/bin/true"].append(spawn_ms(["/bin/true"], env))
        state = value(shells["sentinel"], "SENTINEL_STATE")
        segment = value(shells["sentinel"], "SENTINEL_SEGMENT")
        print("fish %s, %d runs each, medians in ms; sentinel's state %s, segment %r"
              % (os.popen("fish --version").read().split()[-1], N, state, segment))
        for measure in ("prompt", "command"):
            base = statistics.median(results["bare"][measure])
            for name in shells:
                m = statistics.median(results[name][measure])
                print("  %-8s %-8s %6.2f ms  (%+.2f ms, x%.2f vs bare)" % (measure, name, m, m - base, m / base))
        for name in shells:
            print("  CPU of the shell and its children per prompt or command line, %-8s %5.2f ms (%+.2f vs bare)"
                  % (name, cpu[name], cpu[name] - cpu["bare"]))
        for name, runs in alone.items():
            print("  spawned alone: %-26s %5.2f ms" % (name, statistics.median(runs)))
        print("  load average: %s" % open("/proc/loadavg").read().split()[0])
    finally:
        box.close()


if __name__ == "__main__":
    main()
