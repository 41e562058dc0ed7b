"""What the benchmarks share: timing one command and reading a percentile."""

import subprocess
import time


def timed(argv, env, ok=(0,), **popen):
    """Runs argv to its end; returns its wall time in ms. Exits the benchmark
    with argv's stderr when its exit status is not in `ok` (a failing run
    measures nothing). `popen`: more subprocess.run arguments (stdin,
    start_new_session, cwd)."""
    t0 = time.perf_counter()
    p = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **popen)
    t1 = time.perf_counter()
    if p.returncode not in ok:
        raise SystemExit("%s failed (%d): %s" % (argv, p.returncode, p.stderr.decode()))
    return (t1 - t0) * 1000.0


def pct(values, q):
    """The q-quantile (0..1) of values, nearest rank."""
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]
