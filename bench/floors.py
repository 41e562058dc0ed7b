#!/usr/bin/env python3
"""The machine's floors (not a test), for reading the other benchmarks:

- builtin read: bash `read -r -N 16 -u FD` and zsh `sysread -s 16 -i FD` of
  16 bytes already waiting in a file (the cost of the builtin alone);
- shell round trip: one builtin write to a FIFO and one builtin read of a
  16-byte answer from a pipe, with a minimal C echo process on the other
  side (bench/floors.c): what a prompt costs at best with a helper process,
  which is what sentinel's relay is (bash only: the same loop in `zsh -c`
  stalls on the FIFO here, for a reason not worth chasing in a benchmark);
- pipe and UNIX socket round trips between two C processes (1 byte);
- one fork+exec (posix_spawn + waitpid) of /bin/true and of `sentinel --version`.

Medians and p90 in microseconds. Usage: python3 bench/floors.py [--runs N] [--sentinel PATH]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from benchlib import pct

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def shell_series(argv, script):
    out = subprocess.run(argv + [script], capture_output=True, text=True, check=True).stdout.split()
    return [float(x) for x in out]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--sentinel", default=os.environ.get("SENTINEL_BIN") or os.path.join(REPO, "build", "sentinel"))
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="sentinel-floors-")
    exe = os.path.join(tmp, "floors")
    subprocess.run(["cc", "-O2", "-o", exe, os.path.join(REPO, "bench", "floors.c")], check=True)
    print("load average: %.2f %.2f %.2f; cpus: %d" % (os.getloadavg() + (os.cpu_count(),)))
    out = subprocess.run([exe, str(args.runs), "/bin/true", os.path.abspath(args.sentinel)], capture_output=True,
                         text=True, check=True).stdout
    rows = [l.split() for l in out.splitlines()]
    data = os.path.join(tmp, "data")
    with open(data, "w") as f:
        f.write("0123456789abcdef" * (args.runs + 10))
    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo)
    n = args.runs
    bash_read = ('exec {r}<%s; for ((i=0;i<%d;i++)); do a=$EPOCHREALTIME; read -r -N 16 -u $r x; b=$EPOCHREALTIME; '
                 'echo $(( (${b/./}-${a/./}) )); done' % (data, n))
    zsh_read = ('zmodload zsh/datetime zsh/system; exec {r}<%s; for ((i=0;i<%d;i++)); do a=$EPOCHREALTIME; '
                'sysread -s 16 -i $r x; b=$EPOCHREALTIME; echo $(( (b-a)*1000000 )); done' % (data, n))
    bash_trip = ('exec {r}< <(exec %s echo %s 0123456789abcdef 2>/dev/null); exec {w}<>%s; '
                 'for ((i=0;i<%d;i++)); do a=$EPOCHREALTIME; printf "P\\n" >&$w; read -r -N 16 -u $r x; '
                 'b=$EPOCHREALTIME; echo $(( (${b/./}-${a/./}) )); done' % (exe, fifo, fifo, n))
    series = [("bash builtin read (16 bytes waiting)", shell_series(["bash", "-c"], bash_read)),
              ("zsh sysread (16 bytes waiting)", shell_series(["zsh", "-fc"], zsh_read)),
              ("bash write+read round trip to an echo process", shell_series(["bash", "-c"], bash_trip))]
    for name, med, p90 in rows:
        print("%-58s median %8.1f us  p90 %8.1f us" % (name, float(med), float(p90)))
    for name, values in series:
        print("%-58s median %8.1f us  p90 %8.1f us" % (name, statistics.median(values), pct(values, .9)))
    subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    sys.exit(main())
