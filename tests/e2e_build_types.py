#!/usr/bin/env python3
"""Build types build warning-free, from a clean build directory, with
-Werror on (SENTINEL_WERROR=ON): by default Release and Debug with g++ 12 and
Release with clang 14 (the suite's own build is RelWithDebInfo with g++), the
pairs the optimiser and the other compiler most often disagree on. Each
build's unit tests run, since optimisation levels expose different undefined
behaviour. No compiler cache is used: CI starts on a clean machine without
one. Prints each build's wall and CPU time. Skips (77) without g++ or
clang++-14.

A clean build costs minutes of CPU, so the other pairs are not built by
default: SENTINEL_BUILD_TYPES=all builds every type with both compilers
(Debug, Release, RelWithDebInfo, MinSizeRel), and a list such as
"g++:MinSizeRel clang++-14:Debug" builds those."""

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from testlib import SRC, check, require, summary

CLANG = os.environ.get("SENTINEL_CLANG", "clang++-14")
DEFAULT = [("g++", "Release"), ("g++", "Debug"), (CLANG, "Release")]
ALL = [("g++", "Release"), ("g++", "Debug"), ("g++", "MinSizeRel"),
       (CLANG, "Release"), (CLANG, "Debug"), (CLANG, "RelWithDebInfo"), (CLANG, "MinSizeRel")]


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def build(compiler, build_type):
    out = tempfile.mkdtemp(prefix="sentinel-build-%s-" % build_type)
    env = {**os.environ, "CCACHE_DISABLE": "1"}
    env.pop("CMAKE_CXX_COMPILER_LAUNCHER", None)
    name = "%s %s" % (compiler, build_type)
    t0, c0 = time.monotonic(), cpu_seconds()
    try:
        r = subprocess.run(["cmake", "-S", SRC, "-B", out, "-DCMAKE_BUILD_TYPE=" + build_type,
                            "-DCMAKE_CXX_COMPILER=" + compiler, "-DSENTINEL_WERROR=ON"],
                           capture_output=True, text=True, env=env)
        log = r.stdout + r.stderr
        if r.returncode == 0:
            r = subprocess.run(["cmake", "--build", out, "-j2"], capture_output=True, text=True, env=env)
            log += r.stdout + r.stderr
        warnings = [l for l in log.split("\n") if "warning:" in l or "error:" in l]
        check("%s: builds with -Werror" % name, r.returncode == 0, "\n".join(warnings[:20]) or log[-2000:])
        check("%s: not one warning" % name, not warnings, "\n".join(warnings[:20]))
        if r.returncode == 0:
            t = subprocess.run([os.path.join(out, "sentinel_tests")], capture_output=True, text=True)
            check("%s: unit tests pass" % name, t.returncode == 0, t.stdout[-2000:])
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print("time %s: %.0f s wall, %.0f s CPU" % (name, time.monotonic() - t0, cpu_seconds() - c0), flush=True)


def main():
    chosen = DEFAULT
    wanted = os.environ.get("SENTINEL_BUILD_TYPES", "")
    if wanted == "all":
        chosen = ALL
    elif wanted:
        chosen = [tuple(x.split(":", 1)) for x in wanted.split()]
    require("cmake", *sorted({c for c, _ in chosen}))
    for compiler, build_type in chosen:
        build(compiler, build_type)
    sys.exit(summary())


if __name__ == "__main__":
    main()
