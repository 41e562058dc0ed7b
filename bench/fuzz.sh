#!/bin/sh
# Runs each libFuzzer target of a SENTINEL_FUZZ build (tests/fuzz/) for a
# given time, or number of executions, seeded from the tests' fixtures
# (tests/fixtures/) and the demo files, and prints executions per second.
# Fails when a target crashes, leaks, times out on an input, or breaks a
# property; the input is kept in WORK/artifacts/TARGET/.
#
# usage: bench/fuzz.sh [-t SECONDS] [-n RUNS] [-b BUILD_DIR] [-w WORK_DIR] [TARGET...]
#   -t  time per target (default 60); -n stop a target after RUNS executions
#   -b  a build configured with -DSENTINEL_FUZZ=ON (default build-fuzz)
#   -w  where corpora and artifacts go (default: a new temporary directory)
#   TARGET  kubeconfig, kube_cache, config, service, protocol, sanitize, argv,
#           sql, forwarder (default: every fuzz_* program of the build)
#
#   cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++-14 \
#         -DCMAKE_C_COMPILER=clang-14 -DSENTINEL_FUZZ=ON
#   cmake --build build-fuzz -j2 && bench/fuzz.sh -t 30 -b build-fuzz
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=60 runs='' build=build-fuzz work=''
while getopts t:n:b:w: opt; do
    case $opt in
        t) seconds=$OPTARG ;;
        n) runs=$OPTARG ;;
        b) build=$OPTARG ;;
        w) work=$OPTARG ;;
        *) sed -n '2,20p' "$0" >&2; exit 64 ;;
    esac
done
shift $((OPTIND - 1))
[ -n "$work" ] || work=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-fuzz.XXXXXX")
if [ $# -eq 0 ]; then
    set --
    for program in "$build"/fuzz_*; do
        [ -x "$program" ] && set -- "$@" "${program##*/fuzz_}"
    done
fi
if [ $# -eq 0 ]; then
    echo "fuzz: no fuzz_* program in $build (configure it with -DSENTINEL_FUZZ=ON)" >&2
    exit 1
fi

# Seeds and the longest input worth trying, per target.
seeds() {
    f=$here/tests/fixtures
    case $1 in
        kubeconfig) echo "$f/kubeconfig $here/contrib/demo/kubeconfig" ;;
        kube_cache) echo "$f/kube_cache" ;;
        config) echo "$f/config $here/contrib/demo/sentinel/config.toml" ;;
        service) echo "$f/service $here/contrib/demo/pg_service.conf" ;;
        protocol) echo "$f/frames" ;;
        sanitize) echo "$f/names" ;;
        argv) echo "$f/argv" ;;
        forwarder) echo "$f/forwarder" ;;
        sql) echo "$f/sql" ;;
        *) echo "$f" ;;
    esac
}
max_len() {
    case $1 in
        protocol) echo 140000 ;;  # past two frames: cut lines and overflows
        sql) echo 8192 ;;
        *) echo 16384 ;;
    esac
}

# Reports go to stderr (the build's default is a file, for CI's ctest run).
export ASAN_OPTIONS="log_path=stderr:detect_leaks=1"
export UBSAN_OPTIONS="log_path=stderr:print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="log_path=stderr"

failed=0
printf '%-12s %12s %10s %8s  %s\n' target executions "exec/s" seconds result
for target in "$@"; do
    program=$build/fuzz_$target
    corpus=$work/corpus/$target
    artifacts=$work/artifacts/$target
    mkdir -p "$corpus" "$artifacts"
    for seed in $(seeds "$target"); do
        if [ -d "$seed" ]; then cp "$seed"/* "$corpus"/ 2>/dev/null || true; else cp "$seed" "$corpus"/; fi
    done
    log=$work/$target.log
    start=$(date +%s)
    set +e
    "$program" "$corpus" -max_total_time="$seconds" ${runs:+-runs=$runs} -timeout=10 -rss_limit_mb=2560 \
        -max_len="$(max_len "$target")" -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
    rc=$?
    set -e
    took=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    result=ok
    if [ "$rc" -ne 0 ] || [ -n "$(ls -A "$artifacts")" ]; then
        result="FAILED (exit $rc): $(find "$artifacts" -type f | head -3 | tr '\n' ' ')"
        failed=1
    fi
    printf '%-12s %12s %10s %8s  %s\n' "$target" "${execs:-?}" "${rate:-?}" "$took" "$result"
    if [ "$result" != ok ]; then
        grep -E 'ERROR|SUMMARY|property failed|runtime error|Assertion|#[0-9]+ 0x' "$log" | head -40 >&2
    fi
done
echo "fuzz: corpora, logs and artifacts in $work"
exit $failed
