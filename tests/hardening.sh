#!/bin/sh
# The hardening half of CI, run by README's test command after the normal
# suite: the whole tree built with clang 14, AddressSanitizer,
# UndefinedBehaviorSanitizer and libFuzzer instrumentation (which also
# checks that clang builds it, -Werror); the whole ctest suite run in that
# build, failing on any sanitizer report (the options and the report
# directory are compiled into every binary, so child processes report too);
# then each fuzz target for 30 s (bench/fuzz.sh).
#
# Environment: SENTINEL_HARDENING_BUILD (default build-hardening),
# SENTINEL_FUZZ_SECONDS (default 30).
set -eu
cd "$(dirname "$0")/.."
dir=${SENTINEL_HARDENING_BUILD:-build-hardening}
seconds=${SENTINEL_FUZZ_SECONDS:-30}

step() { printf '\n== hardening: %s (%s)\n' "$1" "$(date +%T)"; }

step "configure and build $dir with clang 14, ASan+UBSan, libFuzzer"
cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DSENTINEL_FUZZ=ON -DSENTINEL_WERROR=ON >/dev/null
cmake --build "$dir" -j2

step "the whole ctest suite under ASan+UBSan"
reports=$dir/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
status=0
# Building other compilers and packaging are the normal suite's business.
ctest --test-dir "$dir" --output-on-failure -E '^(e2e_build_types|e2e_deb)$' || status=1
if [ -n "$(ls -A "$reports")" ]; then
    echo "hardening: sanitizer reports:" >&2
    for report in "$reports"/*; do
        echo "--- $report" >&2
        head -60 "$report" >&2
    done
    status=1
fi

step "fuzz targets, ${seconds} s each"
bench/fuzz.sh -t "$seconds" -b "$dir" || status=1

step "done"
exit $status
