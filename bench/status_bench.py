#!/usr/bin/env python3
"""Benchmark (not a test): `sentinel status` against `kubectl config
current-context` on kubeconfigs of 3 and 5,000 contexts, in the same run,
alternating, median of repeated runs.

usage: status_bench.py [SENTINEL_BIN] [--runs N]

sentinel is measured twice on each file: "warm" (its kubeconfig cache holds
the file, the normal case at a prompt) and "cold" (a fresh cache directory
every run, so the file is parsed each time).
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd, env):
    start = time.perf_counter_ns()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.perf_counter_ns() - start) / 1e6


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sentinel = os.path.abspath(args[0] if args else os.path.join(HERE, "..", "build", "sentinel"))
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 31
    with tempfile.TemporaryDirectory() as tmp:
        print(f"sentinel {sentinel}; {runs} runs each, alternating; times in ms (median, min)")
        for contexts in (3, 5000):
            path = os.path.join(tmp, f"k{contexts}.yaml")
            subprocess.run([sys.executable, os.path.join(HERE, "gen_kubeconfig.py"), str(contexts), path,
                            f"ctx-{contexts // 2}"], check=True)
            old = time.time() - 60  # older than the cache's 2 s racy window
            os.utime(path, (old, old))
            size = os.path.getsize(path) / 1e6
            base = {"PATH": os.environ["PATH"], "HOME": tmp, "KUBECONFIG": path,
                    "XDG_CONFIG_HOME": os.path.join(tmp, "config"), "SENTINEL_SYSTEM_CONFIG": "/nonexistent"}
            warm = dict(base, XDG_CACHE_HOME=os.path.join(tmp, "cache"))
            timed([sentinel, "status", "--format=prompt"], warm)  # fill the cache
            results = {"/bin/true (process start, baseline)": [], "sentinel status (warm cache)": [], "sentinel status (cold, parses)": [],
                       "kubectl config current-context": []}
            n = runs if contexts < 1000 else max(5, runs // 3)
            for i in range(n):
                results["/bin/true (process start, baseline)"].append(timed(["/bin/true"], base))
                results["sentinel status (warm cache)"].append(timed([sentinel, "status", "--format=prompt"], warm))
                cold = dict(base, XDG_CACHE_HOME=os.path.join(tmp, f"cold{contexts}-{i}"))
                results["sentinel status (cold, parses)"].append(timed([sentinel, "status", "--format=prompt"], cold))
                results["kubectl config current-context"].append(
                    timed(["kubectl", "config", "current-context"], base))
            print(f"\n{contexts} contexts ({size:.1f} MB), {n} runs:")
            for name, times in results.items():
                print(f"  {name:38} median {statistics.median(times):8.1f}   min {min(times):8.1f}")


if __name__ == "__main__":
    main()
